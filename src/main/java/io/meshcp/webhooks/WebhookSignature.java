package io.meshcp.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Meshcp-Signature} header of a delivery: {@code t=<unix seconds>,v1=<hex>}, where each {@code v1} is
 * HMAC-SHA256 of {@code <t>.<body>} under one of the endpoint's secrets (two while a rotation's overlap lasts). A
 * receiver recomputes it with its secret, compares in constant time, and refuses a {@code t} more than a few
 * minutes old, so a captured delivery cannot be replayed later (docs/webhooks.md).
 */
final class WebhookSignature {

    static final String HEADER = "Meshcp-Signature";

    private WebhookSignature() {
    }

    static String header(long timestamp, String body, List<String> secrets) {
        return "t=" + timestamp + secrets.stream().map(secret -> ",v1=" + hmac(secret, timestamp + "." + body))
                .collect(Collectors.joining());
    }

    static String hmac(String secret, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }
}
