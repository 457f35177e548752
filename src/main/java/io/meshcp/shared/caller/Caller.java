package io.meshcp.shared.caller;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Reads the tenant-scoped principal of the current request, the single source of the caller's tenant. */
public final class Caller {

    private Caller() {
    }

    public static TenantPrincipal current() {
        return find().orElseThrow(() -> new IllegalStateException("no tenant-scoped caller in this request"));
    }

    public static UUID tenantId() {
        return current().tenantId();
    }

    public static Optional<TenantPrincipal> find() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof TenantPrincipal principal) {
            return Optional.of(principal);
        }
        return Optional.empty();
    }
}
