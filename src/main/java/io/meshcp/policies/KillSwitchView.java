package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * An engaged kill switch; {@code streamId} null means the whole tenant. {@code releaseAt}: when it releases itself,
 * null when a person must release it. {@code autoGuard}: the auto-guard engaged it, because the stream's p2p
 * viewers rebuffered more than its holdout viewers.
 */
public record KillSwitchView(UUID streamId, String reason, String engagedBy, Instant engagedAt, Instant releaseAt,
        boolean autoGuard) {
}
