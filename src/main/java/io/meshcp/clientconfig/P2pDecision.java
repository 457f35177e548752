package io.meshcp.clientconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.P2pReason;
import io.meshcp.policies.EffectivePolicy;
import io.meshcp.policies.KillSwitchScope;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.Tokens;

/**
 * Whether one player may use p2p and upload, with a machine-readable reason for every rule that
 * limited it. Pure: the rules are tested table by table. {@code reasons} lists every rule that applies,
 * even after p2p is already off, so analytics can tell why viewers were ineligible.
 */
record P2pDecision(boolean enabled, boolean upload, List<P2pReason> reasons, Cohort cohort, int maxPeers) {

    /**
     * {@code streamPeers}: peers the tracker holds for the stream now. Below {@code minSwarmSize} the
     * player still connects to the tracker (so the swarm can grow) but is matched with nobody yet.
     */
    static P2pDecision decide(boolean sensitive, EffectivePolicy policy, Cohort cohort, PlayerContext player,
            int streamPeers) {
        PolicyFields values = policy.values();
        List<P2pReason> reasons = new ArrayList<>();
        boolean enabled = true;
        boolean upload = true;
        if (sensitive) {
            reasons.add(P2pReason.STREAM_SENSITIVE);
            enabled = false;
        }
        if (policy.killed()) {
            reasons.add(policy.killSwitch() == KillSwitchScope.AUTO_GUARD ? P2pReason.AUTO_GUARD
                    : P2pReason.KILL_SWITCH);
            enabled = false;
        }
        if (!values.p2pEnabled()) {
            reasons.add(P2pReason.P2P_DISABLED);
            enabled = false;
        }
        if (cohort == Cohort.HOLDOUT) {
            reasons.add(P2pReason.HOLDOUT_COHORT);
            enabled = false;
        }
        int maxPeers = policy.maxPeersFor(player.device());
        if (maxPeers == 0) {
            reasons.add(P2pReason.DEVICE_PEERS_ZERO);
            enabled = false;
        }
        if (streamPeers + 1 < values.minSwarmSize()) {
            reasons.add(P2pReason.SWARM_TOO_SMALL);
        }
        // Symmetric NAT still reaches open and cone peers; the tracker only pairs it with those.
        if (player.nat() == NatType.SYMMETRIC) {
            reasons.add(P2pReason.NAT_SYMMETRIC);
        }
        if (player.device() == DeviceClass.MOBILE && values.mobileDownloadOnly()) {
            reasons.add(P2pReason.MOBILE_DOWNLOAD_ONLY);
            upload = false;
        }
        if (player.network() == Network.CELLULAR && !values.uploadOnCellular()) {
            reasons.add(P2pReason.CELLULAR_UPLOAD_OFF);
            upload = false;
        }
        boolean chargingExempt = Boolean.TRUE.equals(player.charging()) && values.uploadWhenCharging();
        if (player.battery() != null && player.battery() < values.minBatteryForUpload() && !chargingExempt) {
            reasons.add(P2pReason.BATTERY_LOW);
            upload = false;
        }
        return new P2pDecision(enabled, enabled && upload, List.copyOf(reasons), cohort, enabled ? maxPeers : 0);
    }

    /**
     * The session's cohort: the same session always lands in the same one, and over many sessions the
     * holdout share approaches {@code holdoutPercent}.
     */
    static Cohort cohort(UUID tenantId, String session, int holdoutPercent) {
        byte[] hash = Tokens.sha256(tenantId + ":" + session);
        long bucket = (((hash[0] & 0xFFL) << 24) | ((hash[1] & 0xFFL) << 16) | ((hash[2] & 0xFFL) << 8)
                | (hash[3] & 0xFFL)) % 10_000;
        return bucket < holdoutPercent * 100L ? Cohort.HOLDOUT : Cohort.P2P;
    }
}
