package io.meshcp.policies;

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

/** One saved version of a tenant default ({@code streamId} null) or of a stream override. Never changed. */
@Entity
@Table(name = "policy_versions")
class PolicyVersion {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private UUID tenantId;

    private UUID streamId;

    private int version;

    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    private String fields;

    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    private String diff;

    private String actor;

    @Enumerated(EnumType.STRING)
    private Source source;

    private Integer restoredFrom;

    private Instant createdAt;

    protected PolicyVersion() {
    }

    PolicyVersion(UUID tenantId, UUID streamId, int version, String fields, String diff, String actor, Source source,
            Integer restoredFrom, Instant createdAt) {
        this.tenantId = tenantId;
        this.streamId = streamId;
        this.version = version;
        this.fields = fields;
        this.diff = diff;
        this.actor = actor;
        this.source = source;
        this.restoredFrom = restoredFrom;
        this.createdAt = createdAt;
    }

    int version() {
        return version;
    }

    String fields() {
        return fields;
    }

    String diff() {
        return diff;
    }

    String actor() {
        return actor;
    }

    Source source() {
        return source;
    }

    Integer restoredFrom() {
        return restoredFrom;
    }

    Instant createdAt() {
        return createdAt;
    }
}
