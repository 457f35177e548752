package io.meshcp.policies;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A live event as resolution sees it: its overrides apply while {@code startsAt <= now < endsAt}. */
record LiveEventWindow(UUID id, String name, Instant startsAt, Instant endsAt, Map<PolicyField, Object> overrides,
        Instant updatedAt) {

    boolean activeAt(Instant now) {
        return !now.isBefore(startsAt) && now.isBefore(endsAt);
    }
}
