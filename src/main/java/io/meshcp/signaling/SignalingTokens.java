package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.shared.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issues and checks signaling tokens: {@code v1.<key id>.<claims>.<HMAC-SHA256>}, base64url, verifiable
 * by any node that has the key, with no database round trip. A token is only good for connecting until it
 * expires; players keep a fresh one by asking client-config again (the player SDK does).
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
    public IssuedToken issue(SignalingClaims.Grant grant) {
        long minute = 60;
        long now = clock.instant().getEpochSecond();
        Instant expiresAt = Instant.ofEpochSecond((now / minute + 1) * minute).plus(properties.tokenTtl());
        SignalingClaims claims = new SignalingClaims(grant.tenantId(), grant.streamId(), grant.session(),
                grant.cohort(), grant.device(), grant.nat(), grant.policyVersion(), grant.keyHash(),
                grant.killSwitchEpoch(), expiresAt);
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
        body.put("c", claims.cohort().code());
        body.put("d", claims.device().code());
        body.put("n", claims.nat().code());
        body.put("v", claims.policyVersion());
        if (claims.keyHash() != null) {
            body.put("k", claims.keyHash());
        }
        if (claims.killSwitchEpoch() != 0) {
            body.put("x", Long.toString(claims.killSwitchEpoch()));
        }
        body.put("e", Long.toString(claims.expiresAt().getEpochSecond()));
        String signed = "v1." + key.id() + "." + ENCODER.encodeToString(json.writeValueAsBytes(body));
        return signed + "." + ENCODER.encodeToString(mac(key.secret(), signed));
    }

    /** The claims of a token that is well formed, signed by a known key and not expired; else empty. */
    public Optional<SignalingClaims> verify(String token) {
        return Optional.ofNullable(check(token).claims());
    }

    /** The token's claims, or why it cannot be used (invalid: malformed, unknown key or forged; or expired). */
    Check check(String token) {
        if (token == null || token.length() > 2048) {
            return Check.refused(Refusal.TOKEN_INVALID);
        }
        String[] parts = token.split("\\.");
        if (parts.length != 4 || !parts[0].equals("v1")) {
            return Check.refused(Refusal.TOKEN_INVALID);
        }
        Optional<SignalingProperties.TokenKey> key = keys.stream().filter(k -> k.id().equals(parts[1])).findFirst();
        if (key.isEmpty()) {
            return Check.refused(Refusal.TOKEN_INVALID);
        }
        try {
            byte[] expected = mac(key.get().secret(), parts[0] + "." + parts[1] + "." + parts[2]);
            if (!MessageDigest.isEqual(expected, DECODER.decode(parts[3]))) {
                return Check.refused(Refusal.TOKEN_INVALID);
            }
            Map<String, String> body = json.readValue(DECODER.decode(parts[2]), CLAIMS);
            String epoch = body.get("x");
            SignalingClaims claims = new SignalingClaims(UUID.fromString(required(body, "t")),
                    UUID.fromString(required(body, "s")), required(body, "p"),
                    required(body, "c", Cohort.class), required(body, "d", DeviceClass.class),
                    required(body, "n", NatType.class), required(body, "v"), body.get("k"),
                    epoch == null ? 0 : Long.parseLong(epoch), Instant.ofEpochSecond(Long.parseLong(required(body, "e"))));
            return claims.expiresAt().isAfter(clock.instant()) ? new Check(claims, null)
                    : Check.refused(Refusal.TOKEN_EXPIRED);
        }
        catch (IllegalArgumentException | DateTimeException | JacksonException e) {
            return Check.refused(Refusal.TOKEN_INVALID);
        }
    }

    /**
     * The last eight characters of a token (its signature's end): enough for a player to tell whether a refusal
     * is about the token it uses now or about one it has replaced, and nothing a forger could use.
     */
    static String fingerprint(String token) {
        if (token == null || token.length() < 8) {
            return "-";
        }
        String tail = token.substring(token.length() - 8);
        return tail.matches("[A-Za-z0-9_-]{8}") ? tail : "-";
    }

    private static String required(Map<String, String> body, String claim) {
        String value = body.get(claim);
        if (value == null) {
            throw new IllegalArgumentException("missing claim " + claim);
        }
        return value;
    }

    private static <E extends Enum<E> & WireCode> E required(Map<String, String> body, String claim, Class<E> type) {
        String code = required(body, claim);
        return WireCode.parse(type, code)
                .orElseThrow(() -> new IllegalArgumentException("claim " + claim + " has no value " + code));
    }

    /** Either the claims of a usable token or the refusal. */
    record Check(SignalingClaims claims, Refusal refusal) {

        static Check refused(Refusal refusal) {
            return new Check(null, refusal);
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
