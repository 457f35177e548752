package io.meshcp.streams;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.ColumnTransformer;

@Entity
@Table(name = "streams")
class Stream {

    @Id
    private UUID id;

    private UUID tenantId;

    private String externalId;

    private String name;

    @Enumerated(EnumType.STRING)
    private StreamKind kind;

    @ColumnTransformer(write = "?::jsonb")
    @Column(columnDefinition = "jsonb")
    private String renditions;

    private String manifestUrl;

    private boolean sensitive;

    private boolean archived;

    private int contentVersion = 1;

    private Instant createdAt;

    private Instant updatedAt;

    @Version
    private long version;

    protected Stream() {
    }

    Stream(UUID tenantId, Instant now) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.createdAt = now;
    }

    void apply(StreamRequest request, String renditionsJson, Instant now) {
        this.externalId = request.externalId();
        this.name = request.name().strip();
        this.kind = request.kind();
        this.renditions = renditionsJson;
        this.manifestUrl = request.manifestUrl();
        this.sensitive = Boolean.TRUE.equals(request.sensitive());
        this.updatedAt = now;
    }

    void archive(boolean archived, Instant now) {
        this.archived = archived;
        this.updatedAt = now;
    }

    void newContentVersion(Instant now) {
        this.contentVersion++;
        this.updatedAt = now;
    }

    int contentVersion() {
        return contentVersion;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    String externalId() {
        return externalId;
    }

    String name() {
        return name;
    }

    StreamKind kind() {
        return kind;
    }

    String renditions() {
        return renditions;
    }

    String manifestUrl() {
        return manifestUrl;
    }

    boolean sensitive() {
        return sensitive;
    }

    boolean archived() {
        return archived;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant updatedAt() {
        return updatedAt;
    }
}
