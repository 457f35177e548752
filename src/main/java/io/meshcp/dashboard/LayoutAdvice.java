package io.meshcp.dashboard;

import java.util.Set;
import java.util.stream.Collectors;

import io.meshcp.shared.caller.DashboardPage;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the shared page layout needs on every dashboard page: the current path and the caller's rights. */
@ControllerAdvice(annotations = DashboardPage.class)
class LayoutAdvice {

    private final RoleHierarchy roleHierarchy;

    LayoutAdvice(RoleHierarchy roleHierarchy) {
        this.roleHierarchy = roleHierarchy;
    }

    @ModelAttribute("currentPath")
    String currentPath(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    /** Every role the caller has, including those implied by the hierarchy, e.g. {@code ROLE_OPS}. */
    @ModelAttribute("roles")
    Set<String> roles() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null) {
            return Set.of();
        }
        return roleHierarchy.getReachableGrantedAuthorities(authentication.getAuthorities()).stream()
                .map(GrantedAuthority::getAuthority).collect(Collectors.toUnmodifiableSet());
    }
}
