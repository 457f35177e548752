package io.meshcp.player;

/**
 * Why p2p was off or limited for a player, as client-config tells it and telemetry reports it back. Players may
 * report codes of their own too (telemetry accepts any code shaped like these), so analytics keeps unknown
 * ones.
 */
public enum P2pReason implements WireCode {
    STREAM_SENSITIVE, KILL_SWITCH, AUTO_GUARD, P2P_DISABLED, HOLDOUT_COHORT, DEVICE_PEERS_ZERO, SWARM_TOO_SMALL, NAT_SYMMETRIC,
    MOBILE_DOWNLOAD_ONLY, CELLULAR_UPLOAD_OFF, BATTERY_LOW;

    @Override
    public String derivedCode() {
        return name();
    }
}
