package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.meshcp.shared.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issues and checks signaling tokens: {@code v1.<key id>.<claims>.<HMAC-SHA256>}, base64url, verifiable
 * by any node that has the key, with no database round trip.
 */
@Service
public class SignalingTokens {

    private static final Logger log = LoggerFactory.getLogger(SignalingTokens.class);

    private static final TypeReference<Map<String, String>> CLAIMS = new TypeReference<>() {
    };

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final List<SignalingProperties.TokenKey> keys;

    private final SignalingProperties properties;

    private final JsonMapper json;

    private final Clock clock;

    SignalingTokens(SignalingProperties properties, JsonMapper json, Clock clock) {
        this.properties = properties;
        this.json = json;
        this.clock = clock;
        if (properties.tokenKeys().isEmpty()) {
            log.warn("No meshcp.signaling.token-keys configured: using a random key for this process only. "
                    + "Configure keys before running more than one node.");
            this.keys = List.of(new SignalingProperties.TokenKey("local", Tokens.random(48)));
        }
        else {
            this.keys = properties.tokenKeys();
        }
    }

    /**
     * A token for these claims, valid for the configured time. The expiry is rounded up to the next
     * minute, so the same player asking again within that minute gets the same token (and client-config
     * the same ETag).
     */
    public IssuedToken issue(UUID tenantId, UUID streamId, String session, String cohort, String device, String nat,
            String policyVersion) {
        long minute = 60;
        long now = clock.instant().getEpochSecond();
        Instant expiresAt = Instant.ofEpochSecond((now / minute + 1) * minute).plus(properties.tokenTtl());
        SignalingClaims claims = new SignalingClaims(tenantId, streamId, session, cohort, device, nat, policyVersion,
                expiresAt);
        return new IssuedToken(sign(claims), expiresAt);
    }

    /** The URL players should connect to, when one is configured. */
    public Optional<String> publicUrl() {
        return Optional.ofNullable(properties.publicUrl()).filter(url -> !url.isBlank());
    }

    String sign(SignalingClaims claims) {
        SignalingProperties.TokenKey key = keys.getFirst();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("t", claims.tenantId().toString());
        body.put("s", claims.streamId().toString());
        body.put("p", claims.session());
        body.put("c", claims.cohort());
        body.put("d", claims.device());
        body.put("n", claims.nat());
        body.put("v", claims.policyVersion());
        body.put("e", Long.toString(claims.expiresAt().getEpochSecond()));
        String signed = "v1." + key.id() + "." + ENCODER.encodeToString(json.writeValueAsBytes(body));
        return signed + "." + ENCODER.encodeToString(mac(key.secret(), signed));
    }

    /** The claims of a token that is well formed, signed by a known key and not expired; else empty. */
    public Optional<SignalingClaims> verify(String token) {
        if (token == null || token.length() > 2048) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return Optional.empty();
        }
        Optional<SignalingProperties.TokenKey> key = keys.stream().filter(k -> k.id().equals(parts[1])).findFirst();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try {
            byte[] expected = mac(key.get().secret(), parts[0] + "." + parts[1] + "." + parts[2]);
            if (!MessageDigest.isEqual(expected, DECODER.decode(parts[3]))) {
                return Optional.empty();
            }
            Map<String, String> body = json.readValue(DECODER.decode(parts[2]), CLAIMS);
            SignalingClaims claims = new SignalingClaims(UUID.fromString(body.get("t")), UUID.fromString(body.get("s")),
                    body.get("p"), body.get("c"), body.get("d"), body.get("n"), body.get("v"),
                    Instant.ofEpochSecond(Long.parseLong(body.get("e"))));
            return claims.expiresAt().isAfter(clock.instant()) ? Optional.of(claims) : Optional.empty();
        }
        catch (IllegalArgumentException | NullPointerException | JacksonException e) {
            return Optional.empty();
        }
    }

    private static byte[] mac(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }
}
