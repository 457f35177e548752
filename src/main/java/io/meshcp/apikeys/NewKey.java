package io.meshcp.apikeys;

import java.time.Instant;
import java.util.List;

import io.meshcp.accounts.Role;

/**
 * What to create: {@code allowedOrigins} only for publishable keys, {@code role} (ADMIN, OPS or VIEWER) only for secret
 * keys; {@code expiresAt} may be null.
 */
public record NewKey(KeyKind kind, String name, List<String> allowedOrigins, Instant expiresAt, Role role) {

    /** A key with the role keys have by default: OPS for a secret key (streams, policies, events, switches). */
    public NewKey(KeyKind kind, String name, List<String> allowedOrigins, Instant expiresAt) {
        this(kind, name, allowedOrigins, expiresAt, kind == KeyKind.SECRET ? Role.OPS : null);
    }
}
