package io.meshcp.signaling;

import java.time.Instant;
import java.util.UUID;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;

/**
 * What a signaling token binds: the tenant, the stream, the playback session, the player's cohort, device
 * class and NAT type, the policy version it was issued under, the publishable key it was issued to (as the hex
 * SHA-256 the key is stored under, so a revocation ends it) and the last kill switch engagement it has seen
 * (epoch milliseconds, 0 for none: a later engagement ends it). Only the tracker reads it.
 */
public record SignalingClaims(UUID tenantId, UUID streamId, String session, Cohort cohort, DeviceClass device,
        NatType nat, String policyVersion, String keyHash, long killSwitchEpoch, Instant expiresAt) {

    /** The claims of a token to be issued; the expiry is the issuer's to set. */
    public record Grant(UUID tenantId, UUID streamId, String session, Cohort cohort, DeviceClass device,
            NatType nat, String policyVersion, String keyHash, long killSwitchEpoch) {
    }
}
