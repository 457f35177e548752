package io.meshcp.accounts;

import java.util.Collection;

import io.meshcp.shared.problems.ForbiddenException;
import org.springframework.security.core.GrantedAuthority;

/**
 * A member's role in one tenant, highest first. docs/permissions.md has the whole matrix; the
 * hierarchy (OWNER > ADMIN > OPS > VIEWER) is declared in {@code DashboardSecurityConfig}.
 */
public enum Role {
    OWNER, ADMIN, OPS, VIEWER;

    public String authority() {
        return "ROLE_" + name();
    }

    /**
     * The highest role among a caller's authorities (a member's one role, or a secret key's); a caller whose
     * authorities name no role is refused.
     */
    public static Role highestOf(Collection<? extends GrantedAuthority> authorities) {
        for (Role role : values()) {
            if (authorities.stream().anyMatch(authority -> role.authority().equals(authority.getAuthority()))) {
                return role;
            }
        }
        throw new ForbiddenException("This caller has no role in the organisation.");
    }
}
