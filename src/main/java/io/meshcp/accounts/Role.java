package io.meshcp.accounts;

/**
 * A member's role in one tenant, highest first. docs/permissions.md has the whole matrix; the
 * hierarchy (OWNER > ADMIN > OPS > VIEWER) is declared in {@code DashboardSecurityConfig}.
 */
public enum Role {
    OWNER, ADMIN, OPS, VIEWER;

    public String authority() {
        return "ROLE_" + name();
    }
}
