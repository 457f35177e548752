package io.meshcp.guard;

import java.time.Instant;
import java.util.UUID;

/**
 * What the auto-guard did to a stream, and on what evidence: each cohort's rebuffer ratio over the window, the 95%
 * confidence interval of their difference, and the sessions behind each.
 */
public record GuardAction(long id, UUID streamId, Instant actedAt, double p2pRebufferRatio,
        double holdoutRebufferRatio, double differenceLow, double differenceHigh, long p2pSessions,
        long holdoutSessions, double margin, int windowMinutes, Instant releaseAt) {
}
