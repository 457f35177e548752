package io.meshcp.signaling;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signaling settings.
 *
 * @param publicUrl the WebSocket URL players connect to (e.g. wss://signal.example.com/v1/signal); empty:
 * derived from the client-config request's own host
 * @param tokenTtl how long a signaling token is valid after it is issued
 * @param tokenKeys HMAC keys for signaling tokens, newest first: the first signs, all verify, so a key
 * is rotated by putting a new one in front and removing the old one after {@code tokenTtl}. Empty: one
 * random key per process, which only works with a single node
 */
@Validated
@ConfigurationProperties("meshcp.signaling")
record SignalingProperties(String publicUrl, @DefaultValue("10m") Duration tokenTtl,
        List<@Valid TokenKey> tokenKeys) {

    SignalingProperties {
        tokenKeys = tokenKeys == null ? List.of() : List.copyOf(tokenKeys);
    }

    /**
     * One signing key.
     *
     * @param id a short name carried in each token, so verifiers know which key signed it
     * @param secret at least 32 characters of secret
     */
    record TokenKey(@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,16}") String id,
            @NotBlank @Size(min = 32) String secret) {
    }
}
