package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

/** An engaged kill switch; {@code streamId} null means the whole tenant. */
public record KillSwitchView(UUID streamId, String reason, String engagedBy, Instant engagedAt) {
}
