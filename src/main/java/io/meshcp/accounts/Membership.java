package io.meshcp.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A user's role in a tenant. A user belongs to one tenant for now, so the user id identifies the membership. */
@Entity
@Table(name = "memberships")
class Membership {

    @Id
    private UUID userId;

    private UUID tenantId;

    @Enumerated(EnumType.STRING)
    private Role role;

    private Instant createdAt;

    protected Membership() {
    }

    Membership(UUID tenantId, UUID userId, Role role, Instant createdAt) {
        this.tenantId = tenantId;
        this.userId = userId;
        this.role = role;
        this.createdAt = createdAt;
    }

    UUID userId() {
        return userId;
    }

    UUID tenantId() {
        return tenantId;
    }

    Role role() {
        return role;
    }

    Instant createdAt() {
        return createdAt;
    }

    void changeRole(Role role) {
        this.role = role;
    }
}
