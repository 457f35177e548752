package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * An engaged kill switch; {@code streamId} null means the whole tenant. {@code releaseAt}: when it releases itself,
 * null when a person must release it.
 */
public record KillSwitchView(UUID streamId, String reason, String engagedBy, Instant engagedAt, Instant releaseAt) {
}
