package io.meshcp.accounts;

import java.time.Instant;
import java.util.UUID;

public record InvitationView(UUID id, String email, Role role, String invitedBy, Instant createdAt,
        Instant expiresAt) {
}
