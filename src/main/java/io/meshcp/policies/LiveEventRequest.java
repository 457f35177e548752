package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

/** A live event to schedule or change: its window and the policy fields that apply inside it. */
public record LiveEventRequest(UUID streamId, String name, Instant startsAt, Instant endsAt, PolicyFields overrides) {
}
