package io.meshcp.policies;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "live_events")
class LiveEvent {

    @Id
    private UUID id;

    private UUID tenantId;

    private UUID streamId;

    private String name;

    private Instant startsAt;

    private Instant endsAt;

    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    private String overrides;

    private String createdBy;

    private Instant createdAt;

    private Instant updatedAt;

    private Instant cancelledAt;

    protected LiveEvent() {
    }

    LiveEvent(UUID tenantId, String createdBy, Instant now) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.createdBy = createdBy;
        this.createdAt = now;
    }

    void apply(UUID streamId, String name, Instant startsAt, Instant endsAt, String overrides, Instant now) {
        this.streamId = streamId;
        this.name = name;
        this.startsAt = startsAt;
        this.endsAt = endsAt;
        this.overrides = overrides;
        this.updatedAt = now;
    }

    void cancel(Instant now) {
        this.cancelledAt = now;
        this.updatedAt = now;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    UUID streamId() {
        return streamId;
    }

    String name() {
        return name;
    }

    Instant startsAt() {
        return startsAt;
    }

    Instant endsAt() {
        return endsAt;
    }

    String overrides() {
        return overrides;
    }

    String createdBy() {
        return createdBy;
    }

    Instant updatedAt() {
        return updatedAt;
    }

    Instant cancelledAt() {
        return cancelledAt;
    }
}
