package io.meshcp.alerts;

import java.time.Instant;
import java.util.UUID;

/** An alert that fired or resolved, as the history keeps it. */
public record AlertTransition(long id, UUID ruleId, UUID streamId, AlertKind kind, String transition, Instant at,
        Double value, String detail) {
}
