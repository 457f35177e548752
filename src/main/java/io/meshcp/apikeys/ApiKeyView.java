package io.meshcp.apikeys;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;

/** A key as lists show it: never the key itself, only its first characters. */
public record ApiKeyView(UUID id, KeyKind kind, Role role, String name, String displayPrefix, List<String> allowedOrigins,
        String createdBy, Instant createdAt, Instant lastUsedAt, Instant expiresAt, Instant revokedAt,
        UUID replacedBy, boolean active) implements Serializable {
}
