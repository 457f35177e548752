package io.meshcp.telemetry;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One validated heartbeat of a playback session (docs/telemetry.md lists the fields). {@code infoHash} (40 hex
 * digits, or null) is the swarm the rendition is shared in: not stored with the heartbeat, it names the swarm.
 */
record Heartbeat(UUID eventId, Instant ts, String sessionId, UUID streamId, String rendition, String cohort,
        int intervalMs, long cdnBytes, long p2pBytesDown, long p2pBytesUp, int peers, int playMs, int rebufferMs,
        Integer latencyMs, Float battery, Boolean charging, String network, String device, String nat,
        String player, String sdk, List<String> p2pReasons, String infoHash) {

    /** Replays of an event carry the same id and timestamp. */
    EventKey key(UUID tenantId) {
        return new EventKey(tenantId, eventId, ts);
    }

    record EventKey(UUID tenantId, UUID eventId, Instant ts) {
    }
}
