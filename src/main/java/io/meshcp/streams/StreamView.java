package io.meshcp.streams;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

public record StreamView(UUID id, String externalId, String name, StreamKind kind, List<Rendition> renditions,
        String manifestUrl, boolean sensitive, boolean archived, Instant createdAt, Instant updatedAt) {
}
