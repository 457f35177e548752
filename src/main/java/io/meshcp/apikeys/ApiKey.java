package io.meshcp.apikeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "api_keys")
class ApiKey {

    /** Characters of the key kept in clear to tell keys apart: the kind prefix and 4 random characters. */
    static final int DISPLAY_PREFIX_LENGTH = 12;

    @Id
    private UUID id;

    private UUID tenantId;

    @Enumerated(EnumType.STRING)
    private KeyKind kind;

    /** Secret keys only: what the key may do through the REST API. */
    @Enumerated(EnumType.STRING)
    private Role role;

    private String name;

    private String displayPrefix;

    private byte[] keyHash;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(columnDefinition = "text[]")
    private List<String> allowedOrigins = new ArrayList<>();

    private String createdBy;

    private Instant createdAt;

    private Instant lastUsedAt;

    private Instant expiresAt;

    private Instant revokedAt;

    private UUID replacedBy;

    protected ApiKey() {
    }

    ApiKey(UUID tenantId, KeyKind kind, Role role, String name, String key, byte[] keyHash, List<String> allowedOrigins,
            String createdBy, Instant createdAt, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.kind = kind;
        this.role = role;
        this.name = name;
        this.displayPrefix = key.substring(0, DISPLAY_PREFIX_LENGTH);
        this.keyHash = keyHash;
        this.allowedOrigins = new ArrayList<>(allowedOrigins);
        this.createdBy = createdBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean isUsable(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }

    /** The old key of a rotation: it keeps working until {@code until}, then expires. */
    void replaceBy(UUID successor, Instant until) {
        this.replacedBy = successor;
        if (expiresAt == null || until.isBefore(expiresAt)) {
            this.expiresAt = until;
        }
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    KeyKind kind() {
        return kind;
    }

    Role role() {
        return role;
    }

    String name() {
        return name;
    }

    String displayPrefix() {
        return displayPrefix;
    }

    List<String> allowedOrigins() {
        return List.copyOf(allowedOrigins);
    }

    byte[] keyHash() {
        return keyHash;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    ApiKeyView view(Instant now, Instant lastUsedNotYetWritten) {
        Instant lastUsed = lastUsedAt;
        if (lastUsedNotYetWritten != null && (lastUsed == null || lastUsedNotYetWritten.isAfter(lastUsed))) {
            lastUsed = lastUsedNotYetWritten;
        }
        return new ApiKeyView(id, kind, role, name, displayPrefix, List.copyOf(allowedOrigins), createdBy, createdAt,
                lastUsed, expiresAt, revokedAt, replacedBy, isUsable(now));
    }
}
