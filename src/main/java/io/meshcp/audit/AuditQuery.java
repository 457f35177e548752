package io.meshcp.audit;

import java.time.Instant;

/** Filters for reading the audit log; every field may be null. Bounds are inclusive from, exclusive to. */
public record AuditQuery(Instant from, Instant to, String type) {
}
