package io.meshcp.audit;

import java.time.Instant;
import java.util.Map;

import io.meshcp.shared.caller.Source;

/** One audit event as the API and the dashboard show it. {@code clientIp} is already truncated. */
public record AuditEntry(long id, Instant occurredAt, String type, String actor, Source source, String clientIp,
        Map<String, Object> details) {
}
