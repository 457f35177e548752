/**
 * The audit log: an append-only record of security-relevant and configuration events per tenant
 * (who, when, from where, what). Other modules call {@link io.meshcp.audit.AuditLog}; tenants read it
 * in the dashboard and at {@code GET /api/v1/audit-events}. Secrets never enter it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Audit log",
        allowedDependencies = {"database", "shared :: caller", "shared :: paging", "shared :: problems"})
package io.meshcp.audit;
