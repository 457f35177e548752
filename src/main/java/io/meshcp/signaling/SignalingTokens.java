package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.shared.Tokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issues and checks signaling tokens: compact JWS (RFC 7515) signed with HMAC-SHA256 by Nimbus JOSE, the key's
 * id in the header ({@code kid}) so keys can be rotated, verifiable by any node that has the key with no database
 * round trip. The payload is our claims under short names ({@link #sign}). A token is only good for connecting
 * until it expires; players keep a fresh one by asking client-config again (the player SDK does).
 */
@Service
public class SignalingTokens {

    private static final Logger log = LoggerFactory.getLogger(SignalingTokens.class);

    private final List<SignalingProperties.TokenKey> keys;

    private final Map<String, MACSigner> signers = new HashMap<>();

    private final Map<String, MACVerifier> verifiers = new HashMap<>();

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
        for (SignalingProperties.TokenKey key : keys) {
            byte[] secret = key.secret().getBytes(StandardCharsets.UTF_8);
            try {
                signers.put(key.id(), new MACSigner(secret));
                verifiers.put(key.id(), new MACVerifier(secret));
            }
            catch (JOSEException e) {
                throw new IllegalStateException("token key '" + key.id() + "' is shorter than 256 bits", e);
            }
        }
    }

    /**
     * A token for these claims, valid for the configured time. The expiry is rounded up to the end of the current
     * step (a minute, or a quarter of the token's lifetime when that is shorter), so the same player asking again
     * within the step gets the same token (and client-config the same ETag).
     */
    public IssuedToken issue(SignalingClaims.Grant grant) {
        long step = Math.min(60, Math.max(1, properties.tokenTtl().toSeconds() / 4));
        long now = clock.instant().getEpochSecond();
        Instant expiresAt = Instant.ofEpochSecond((now / step + 1) * step).plus(properties.tokenTtl());
        SignalingClaims claims = new SignalingClaims(grant.tenantId(), grant.streamId(), grant.session(),
                grant.cohort(), grant.device(), grant.nat(), grant.policyVersion(), grant.keyHash(),
                grant.killSwitchEpoch(), expiresAt);
        return new IssuedToken(sign(claims), expiresAt);
    }

    /** The URL players should connect to, when one is configured. */
    public Optional<String> publicUrl() {
        return Optional.ofNullable(properties.publicUrl()).filter(url -> !url.isBlank());
    }

    /**
     * The claims as JSON under short names, so the token stays short in a URL: {@code t} tenant, {@code s} stream,
     * {@code p} session, {@code c} cohort, {@code d} device class, {@code n} NAT type, {@code v} policy version,
     * {@code k} key hash, {@code x} kill switch epoch, and the registered {@code exp}. The same claims always make
     * the same token.
     */
    String sign(SignalingClaims claims) {
        SignalingProperties.TokenKey key = keys.getFirst();
        Map<String, Object> body = new LinkedHashMap<>();
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
            body.put("x", claims.killSwitchEpoch());
        }
        body.put("exp", claims.expiresAt().getEpochSecond());
        JWSObject token = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(key.id()).build(),
                new Payload(json.writeValueAsBytes(body)));
        try {
            token.sign(signers.get(key.id()));
        }
        catch (JOSEException e) {
            throw new IllegalStateException("an HMAC key of at least 256 bits always signs", e);
        }
        return token.serialize();
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
        try {
            JWSObject jws = JWSObject.parse(token);
            MACVerifier verifier = verifiers.get(jws.getHeader().getKeyID());
            // Only the algorithm we sign with: a token cannot choose how it is checked.
            if (verifier == null || !JWSAlgorithm.HS256.equals(jws.getHeader().getAlgorithm())
                    || !jws.verify(verifier)) {
                return Check.refused(Refusal.TOKEN_INVALID);
            }
            JsonNode body = json.readTree(jws.getPayload().toBytes());
            SignalingClaims claims = new SignalingClaims(UUID.fromString(text(body, "t")),
                    UUID.fromString(text(body, "s")), text(body, "p"), code(body, "c", Cohort.class),
                    code(body, "d", DeviceClass.class), code(body, "n", NatType.class), text(body, "v"),
                    body.has("k") ? text(body, "k") : null, body.has("x") ? number(body, "x") : 0,
                    Instant.ofEpochSecond(number(body, "exp")));
            return claims.expiresAt().isAfter(clock.instant()) ? new Check(claims, null)
                    : Check.refused(Refusal.TOKEN_EXPIRED);
        }
        catch (ParseException | JOSEException | IllegalArgumentException | DateTimeException | JacksonException e) {
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

    private static String text(JsonNode body, String claim) {
        JsonNode value = body.get(claim);
        if (value == null || !value.isString()) {
            throw new IllegalArgumentException("claim " + claim + " is not text");
        }
        return value.asString();
    }

    private static long number(JsonNode body, String claim) {
        JsonNode value = body.get(claim);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("claim " + claim + " is not a whole number");
        }
        return value.asLong();
    }

    private static <E extends Enum<E> & WireCode> E code(JsonNode body, String claim, Class<E> type) {
        String code = text(body, claim);
        return WireCode.parse(type, code)
                .orElseThrow(() -> new IllegalArgumentException("claim " + claim + " has no value " + code));
    }

    /** Either the claims of a usable token or the refusal. */
    record Check(SignalingClaims claims, Refusal refusal) {

        static Check refused(Refusal refusal) {
            return new Check(null, refusal);
        }
    }
}
