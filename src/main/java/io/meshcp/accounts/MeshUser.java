package io.meshcp.accounts;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Source;
import io.meshcp.shared.caller.TenantPrincipal;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetails;

/** A signed-in dashboard user: one member of one tenant with one role. */
public final class MeshUser implements UserDetails, CredentialsContainer, TenantPrincipal {

    private final UUID userId;

    private final UUID tenantId;

    private final String email;

    private final String displayName;

    private final Role role;

    private String passwordHash;

    MeshUser(UUID userId, UUID tenantId, String email, String displayName, Role role, String passwordHash) {
        this.userId = userId;
        this.tenantId = tenantId;
        this.email = email;
        this.displayName = displayName;
        this.role = role;
        this.passwordHash = passwordHash;
    }

    MeshUser withRole(Role newRole) {
        return new MeshUser(userId, tenantId, email, displayName, newRole, null);
    }

    public UUID userId() {
        return userId;
    }

    @Override
    public UUID tenantId() {
        return tenantId;
    }

    public String email() {
        return email;
    }

    public String displayName() {
        return displayName;
    }

    public Role role() {
        return role;
    }

    @Override
    public String actor() {
        return email;
    }

    @Override
    public Source source() {
        return Source.DASHBOARD;
    }

    @Override
    public Collection<? extends GrantedAuthority> getAuthorities() {
        return List.of(new SimpleGrantedAuthority(role.authority()));
    }

    @Override
    public String getPassword() {
        return passwordHash;
    }

    @Override
    public String getUsername() {
        return email;
    }

    @Override
    public void eraseCredentials() {
        passwordHash = null;
    }

    // Sessions are compared by user, so that a role change does not count as a different principal.
    @Override
    public boolean equals(Object other) {
        return other instanceof MeshUser user && user.userId.equals(userId);
    }

    @Override
    public int hashCode() {
        return userId.hashCode();
    }

    @Override
    public String toString() {
        return "MeshUser[" + email + ", " + role + "]";
    }
}
