package io.meshcp.streams;

import java.util.Optional;
import java.util.UUID;

import io.meshcp.audit.AuditNames;
import org.springframework.stereotype.Component;

/** Streams by name in the audit log's sentences. */
@Component
class StreamAuditNames implements AuditNames {

    private final Streams streams;

    StreamAuditNames(Streams streams) {
        this.streams = streams;
    }

    @Override
    public Optional<String> streamName(UUID tenantId, UUID streamId) {
        return streams.findById(tenantId, streamId).map(StreamView::name);
    }
}
