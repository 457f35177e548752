package io.meshcp.alerts;

import java.util.Locale;

/** What an alert rule watches; {@code threshold} is a ratio from 0 to 1 for each. */
public enum AlertKind {

    /** During a live event, the stream's offload (bytes from peers over all bytes) below the threshold. */
    OFFLOAD_BELOW(true, "offload below %s during a live event"),
    /** During a live event, no heartbeat from the stream at all (the threshold is not used). */
    NO_HEARTBEATS(true, "no heartbeats during a live event"),
    /** The p2p cohort's rebuffer ratio above the holdout's by more than the threshold, at 95% confidence. */
    P2P_REBUFFER_WORSE(false, "p2p viewers rebuffering more than the holdout by over %s"),
    /**
     * The tracker refused more than the threshold's share of the stream's sockets for reasons no one chose (a socket
     * limit, a stale token), over at least {@value Alerts#MIN_SOCKETS} sockets.
     */
    SIGNALING_REFUSALS(false, "more than %s of tracker sockets refused");

    private final boolean duringLiveEvents;

    private final String description;

    AlertKind(boolean duringLiveEvents, String description) {
        this.duringLiveEvents = duringLiveEvents;
        this.description = description;
    }

    /** Whether the rule watches a stream only while one of its live events is on. */
    public boolean duringLiveEvents() {
        return duringLiveEvents;
    }

    String describe(double threshold) {
        return description.formatted(this == OFFLOAD_BELOW || this == SIGNALING_REFUSALS
                ? Math.round(threshold * 100) + "%"
                : String.format(Locale.ROOT, "%.1f points", threshold * 100));
    }
}
