package io.meshcp.streams;

import java.util.UUID;

/** Published after a stream's change is committed, so caches of it can be dropped. */
public record StreamChanged(UUID tenantId, UUID streamId, String externalId) {
}
