package io.meshcp.signaling;

import java.time.Instant;
import java.util.UUID;

/**
 * What a signaling token binds: the tenant, the stream, the playback session, the player's cohort, device
 * class and NAT type, and the policy version it was issued under. Only the tracker reads it.
 */
public record SignalingClaims(UUID tenantId, UUID streamId, String session, String cohort, String device, String nat,
        String policyVersion, Instant expiresAt) {
}
