package io.meshcp.alerts;

import java.time.Instant;
import java.util.UUID;

/** An alert rule; {@code streamId} null: every stream it applies to. */
public record AlertRule(UUID id, UUID streamId, AlertKind kind, double threshold, int forMinutes, boolean enabled,
        String description, Instant createdAt, String createdBy) {
}
