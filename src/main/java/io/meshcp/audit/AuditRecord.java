package io.meshcp.audit;

import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.caller.Source;

/**
 * An event to append. {@code clientIp} must already be truncated (see
 * {@link io.meshcp.shared.caller.ClientAddress}); {@code details} must hold nothing secret.
 */
public record AuditRecord(UUID tenantId, String type, String actor, Source source, String clientIp,
        Map<String, ?> details) {

    public AuditRecord {
        details = details == null ? Map.of() : details;
    }
}
