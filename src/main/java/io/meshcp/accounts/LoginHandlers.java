package io.meshcp.accounts;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.audit.AuditLog;
import io.meshcp.audit.AuditRecord;
import io.meshcp.database.SystemScope;
import io.meshcp.shared.caller.ClientAddress;
import io.meshcp.shared.caller.Source;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Records every dashboard login in the audit log and tells the login page what went wrong. */
@Component
class LoginHandlers implements AuthenticationSuccessHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(LoginHandlers.class);

    private final AuditLog auditLog;

    private final UserRepository users;

    private final MembershipRepository memberships;

    private final SavedRequestAwareAuthenticationSuccessHandler redirect = new SavedRequestAwareAuthenticationSuccessHandler();

    LoginHandlers(AuditLog auditLog, UserRepository users, MembershipRepository memberships) {
        this.auditLog = auditLog;
        this.users = users;
        this.memberships = memberships;
    }

    @Override
    @SystemScope("the login's organisation is known from the account, found in the system scope")
    @Transactional
    public void onAuthenticationSuccess(HttpServletRequest request, HttpServletResponse response,
            Authentication authentication) throws IOException, ServletException {
        if (authentication.getPrincipal() instanceof MeshUser user) {
            auditLog.record(new AuditRecord(user.tenantId(), "LOGIN_SUCCEEDED", user.email(), Source.DASHBOARD,
                    ClientAddress.truncated(request), Map.of()));
        }
        redirect.onAuthenticationSuccess(request, response, authentication);
    }

    @Override
    @SystemScope("a failed login is recorded in the organisation of the address tried, if any")
    @Transactional
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        String email = Optional.ofNullable(request.getParameter("email")).map(String::trim).orElse("");
        if (exception instanceof LoginThrottledException throttled) {
            // Refused before the password was checked: not audited, so a flood cannot fill the log.
            log.info("Login attempt throttled from {}", ClientAddress.truncated(request));
            response.sendRedirect(request.getContextPath() + "/login?throttled=" + throttled.retryAfterSeconds());
            return;
        }
        UUID tenantId = tenantOf(email);
        // For an unknown address the attempt belongs to no tenant; it is kept without one.
        auditLog.record(new AuditRecord(tenantId, "LOGIN_FAILED", tenantId == null ? "unknown account" : email,
                Source.DASHBOARD, ClientAddress.truncated(request), Map.of()));
        response.sendRedirect(request.getContextPath() + "/login?error");
    }

    private UUID tenantOf(String email) {
        if (email.isEmpty() || email.length() > 254) {
            return null;
        }
        return users.findByEmailIgnoreCase(email).flatMap(user -> memberships.findById(user.id()))
                .map(Membership::tenantId).orElse(null);
    }
}
