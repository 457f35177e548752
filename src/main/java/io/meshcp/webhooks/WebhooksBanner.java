package io.meshcp.webhooks;

import java.util.List;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.Source;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every dashboard page tells an organisation's admins while one of its webhook endpoints is disabled after a
 * day of failed deliveries: their systems are no longer told of kill switches and live events, and nothing else
 * would say so. One small query per page.
 */
@ControllerAdvice(annotations = DashboardPage.class)
class WebhooksBanner {

    private final Webhooks webhooks;

    private final RoleHierarchy roles;

    WebhooksBanner(Webhooks webhooks, RoleHierarchy roles) {
        this.webhooks = webhooks;
        this.roles = roles;
    }

    @ModelAttribute("webhooksDisabled")
    List<EndpointView> webhooksDisabled(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null
                || request.getHeader("HX-Request") != null || !isAdmin()) {
            return List.of();
        }
        return Caller.find().filter(caller -> caller.source() == Source.DASHBOARD)
                .map(caller -> webhooks.disabledByFailures(caller.tenantId())).orElse(List.of());
    }

    /** An admin, or an owner (whose role implies it). */
    private boolean isAdmin() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && roles.getReachableGrantedAuthorities(authentication.getAuthorities())
                .stream().anyMatch(authority -> "ROLE_ADMIN".equals(authority.getAuthority()));
    }
}
