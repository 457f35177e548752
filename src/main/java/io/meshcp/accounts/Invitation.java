package io.meshcp.accounts;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "invitations")
class Invitation {

    @Id
    private UUID id;

    private UUID tenantId;

    private String email;

    @Enumerated(EnumType.STRING)
    private Role role;

    private byte[] tokenHash;

    private String invitedBy;

    private Instant createdAt;

    private Instant expiresAt;

    private Instant acceptedAt;

    private Instant revokedAt;

    protected Invitation() {
    }

    Invitation(UUID tenantId, String email, Role role, byte[] tokenHash, String invitedBy, Instant createdAt,
            Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.email = email;
        this.role = role;
        this.tokenHash = tokenHash;
        this.invitedBy = invitedBy;
        this.createdAt = createdAt;
        this.expiresAt = expiresAt;
    }

    boolean isOpen(Instant now) {
        return acceptedAt == null && revokedAt == null && now.isBefore(expiresAt);
    }

    void accept(Instant now) {
        this.acceptedAt = now;
    }

    void revoke(Instant now) {
        this.revokedAt = now;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    String email() {
        return email;
    }

    Role role() {
        return role;
    }

    InvitationView view() {
        return new InvitationView(id, email, role, invitedBy, createdAt, expiresAt);
    }
}
