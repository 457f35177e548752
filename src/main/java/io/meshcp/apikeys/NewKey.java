package io.meshcp.apikeys;

import java.time.Instant;
import java.util.List;

import io.meshcp.accounts.Role;
import io.meshcp.shared.problems.TextLength;

/**
 * What to create: {@code allowedOrigins} only for publishable keys, {@code role} (ADMIN, OPS or VIEWER) only for secret
 * keys; {@code expiresAt} may be null.
 */
public record NewKey(KeyKind kind, @TextLength(max = 100) String name, List<String> allowedOrigins, Instant expiresAt,
        Role role) {

    /** A secret key left without a role has the default one: OPS (streams, policies, events, switches). */
    public NewKey {
        if (kind == KeyKind.SECRET && role == null) {
            role = Role.OPS;
        }
    }

    /** A key with the default role. */
    public NewKey(KeyKind kind, String name, List<String> allowedOrigins, Instant expiresAt) {
        this(kind, name, allowedOrigins, expiresAt, null);
    }
}
