package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever a socket's URL carries as its token, checking it answers either claims or a refusal, never an exception;
 * and only what we signed verifies: no change to a signed token makes it verify with other claims. The seeds are
 * the tokens {@link #SIGNED} and {@link #SIGNED_BY_OLD_KEY} (these keys and this clock make them the same on every
 * run), an expired one, and near misses.
 */
class SignalingTokensFuzzTests {

    static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    static final SignalingClaims CLAIMS = new SignalingClaims(UUID.fromString("3f1c0f8e-52a4-4c51-9d0e-7b6a1d2e4f10"),
            UUID.fromString("a7d2c9b4-1e3f-4a5b-8c6d-9e0f1a2b3c4d"), "session-0001", Cohort.P2P, DeviceClass.MOBILE, NatType.SYMMETRIC,
            "t3-s1", "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8", 1_764_000_000_000L,
            NOW.plus(Duration.ofMinutes(10)));

    static final SignalingClaims OLD_KEY_CLAIMS = new SignalingClaims(CLAIMS.tenantId(), CLAIMS.streamId(),
            "session-0002", Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t1-s0", null, 0, NOW.plus(Duration.ofMinutes(5)));

    // During a rotation the first key signs and both verify: a forgery must not get through either.
    static final List<SignalingProperties.TokenKey> KEYS = List.of(
            new SignalingProperties.TokenKey("k2", "the newer fuzzing key, at least 32 characters"),
            new SignalingProperties.TokenKey("k1", "the older fuzzing key, at least 32 characters"));

    static final SignalingTokens TOKENS = tokens(KEYS);

    static final String SIGNED = TOKENS.sign(CLAIMS);

    static final String SIGNED_BY_OLD_KEY = tokens(List.of(KEYS.get(1))).sign(OLD_KEY_CLAIMS);

    @FuzzTest
    void anyTextIsRefusedOrVerifiesAsWhatWeSigned(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);

        SignalingTokens.Check check = TOKENS.check(token);

        assertThat(check.claims() == null).as("claims or a refusal, not both").isNotEqualTo(check.refusal() == null);
        if (check.claims() != null) {
            assertThat(check.claims()).isIn(CLAIMS, OLD_KEY_CLAIMS);
        }
        assertThat(TOKENS.verify(token)).isEqualTo(Optional.ofNullable(check.claims()));
        assertThat(SignalingTokens.fingerprint(token)).matches("-|[A-Za-z0-9_-]{8}");
    }

    /**
     * The input is a list of edits to {@link #SIGNED}, three bytes each: a position (two bytes), then a character
     * that replaces the one there, or is inserted before it when the position's top bit is set, or 0 to delete it.
     * Mutating the valid token this way keeps every attempt close to it, where a forgery would have to be.
     */
    @FuzzTest
    void editsOfASignedTokenNeverVerifyWithOtherClaims(byte[] edits) {
        StringBuilder token = new StringBuilder(SIGNED);
        for (int i = 0; i + 2 < edits.length; i += 3) {
            boolean insert = (edits[i] & 0x80) != 0;
            int position = (((edits[i] & 0x7f) << 8) | (edits[i + 1] & 0xff)) % (token.length() + 1);
            char c = (char) (edits[i + 2] & 0xff);
            if (c == 0) {
                if (position < token.length()) {
                    token.deleteCharAt(position);
                }
            }
            else if (insert || position == token.length()) {
                token.insert(position, c);
            }
            else {
                token.setCharAt(position, c);
            }
        }

        SignalingTokens.Check check = TOKENS.check(token.toString());

        if (token.toString().equals(SIGNED)) {
            assertThat(check.claims()).as("the token as signed").isEqualTo(CLAIMS);
        }
        if (check.claims() != null) {
            assertThat(check.claims()).isEqualTo(CLAIMS);
        }
    }

    /** Signed with our key, so only a token format of a later version could carry it: refused, never thrown. */
    @Test
    void aSignedTokenWhoseExpiryNoInstantCanHoldIsInvalid() throws Exception {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String signed = base64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k2\"}".getBytes(StandardCharsets.UTF_8))
                + "." + base64.encodeToString(("{\"t\":\"" + CLAIMS.tenantId() + "\",\"s\":\"" + CLAIMS.streamId()
                + "\",\"p\":\"s\",\"c\":\"p2p\",\"d\":\"tv\",\"n\":\"open\",\"v\":\"t0-s0\",\"exp\":"
                + Long.MAX_VALUE + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(KEYS.getFirst().secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String token = signed + "." + base64.encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII)));

        assertThat(TOKENS.check(token).refusal()).isEqualTo(Refusal.TOKEN_INVALID);
    }

    /** A token cannot choose how it is checked: unsigned, or signed by a key we do not have, it is refused. */
    @Test
    void aTokenThatIsUnsignedOrNamesAnUnknownKeyIsInvalid() {
        String[] parts = SIGNED.split("\\.");
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String unsigned = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1]
                + ".";
        String unknownKey = base64.encodeToString("{\"alg\":\"HS256\",\"kid\":\"k9\"}".getBytes(
                StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];

        assertThat(TOKENS.check(SIGNED).claims()).isEqualTo(CLAIMS);
        assertThat(TOKENS.check(unsigned).refusal()).isEqualTo(Refusal.TOKEN_INVALID);
        assertThat(TOKENS.check(unknownKey).refusal()).isEqualTo(Refusal.TOKEN_INVALID);
        assertThat(TOKENS.check(SIGNED_BY_OLD_KEY).claims()).as("the older key still verifies").isEqualTo(
                OLD_KEY_CLAIMS);
    }

    private static SignalingTokens tokens(List<SignalingProperties.TokenKey> keys) {
        SignalingProperties properties = new SignalingProperties(null, Duration.ofMinutes(10), keys, 0, 65_536, 20, 10,
                10, Duration.ofSeconds(30), 120, 15, Duration.ofSeconds(300), Duration.ofSeconds(40), 100_000, 4, 500,
                Duration.ofSeconds(30), Duration.ofSeconds(1));
        return new SignalingTokens(properties, JsonMapper.builder().build(), Clock.fixed(NOW, ZoneOffset.UTC));
    }
}
