package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

/**
 * A live event with its state now and {@code policyDuring}: the stream's effective policy inside the
 * window, as it would resolve at the start given today's settings.
 */
public record LiveEventView(UUID id, UUID streamId, String name, Instant startsAt, Instant endsAt,
        PolicyFields overrides, LiveEventState state, String createdBy, Instant updatedAt,
        EffectivePolicy policyDuring) {
}
