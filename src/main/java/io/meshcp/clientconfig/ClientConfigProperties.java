package io.meshcp.clientconfig;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What client-config hands to players besides the policy.
 *
 * @param stunServers STUN server URLs for WebRTC; only stun: and stuns: are accepted, since the product
 * runs no TURN relays
 * @param telemetryInterval how often players send a telemetry heartbeat
 * @param telemetryUrl where players send telemetry; empty: /v1/telemetry on the request's own host
 * @param refreshInterval how often a playing player asks client-config again while it has no p2p (a kill switch
 * released, a swarm grown big enough); connected players also hear of changes from the tracker at once
 */
@Validated
@ConfigurationProperties("meshcp.client-config")
record ClientConfigProperties(
        @DefaultValue("stun:stun.l.google.com:19302") @NotEmpty
        List<@Pattern(regexp = "stuns?:[^\\s]+", message = "must be a stun: or stuns: URL") String> stunServers,
        @DefaultValue("10s") Duration telemetryInterval, String telemetryUrl,
        @DefaultValue("30s") Duration refreshInterval) {
}
