package io.meshcp.audit;

import java.time.Instant;
import java.util.UUID;

import io.meshcp.shared.caller.Source;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "audit_events")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID tenantId;

    private Instant occurredAt;

    private String type;

    private String actor;

    @Enumerated(EnumType.STRING)
    private Source source;

    private String clientIp;

    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    private String details;

    protected AuditEvent() {
    }

    AuditEvent(UUID tenantId, Instant occurredAt, String type, String actor, Source source, String clientIp,
            String details) {
        this.tenantId = tenantId;
        this.occurredAt = occurredAt;
        this.type = type;
        this.actor = actor;
        this.source = source;
        this.clientIp = clientIp;
        this.details = details;
    }

    Long id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    Instant occurredAt() {
        return occurredAt;
    }

    String type() {
        return type;
    }

    String actor() {
        return actor;
    }

    Source source() {
        return source;
    }

    String clientIp() {
        return clientIp;
    }

    String details() {
        return details;
    }
}
