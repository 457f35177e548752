package io.meshcp.accounts;

import java.io.IOException;
import java.util.Optional;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps a dashboard session true to the membership: a role change applies from the member's next
 * request, and a removed member is signed out at once, instead of both waiting for the session to end.
 * Costs one primary-key lookup per dashboard request.
 */
// Not a bean: as a bean, Boot would also register it as a servlet filter outside the security chain.
class CurrentMemberFilter extends OncePerRequestFilter {

    private final Accounts accounts;

    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

    CurrentMemberFilter(Accounts accounts) {
        this.accounts = accounts;
    }

    // Static assets need no membership check; skipping them saves a query per asset.
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/webjars/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof MeshUser user) {
            Optional<Role> role = accounts.currentRole(user.tenantId(), user.userId());
            if (role.isEmpty()) {
                SecurityContextHolder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
                response.sendRedirect(request.getContextPath() + "/login?removed");
                return;
            }
            if (role.get() != user.role()) {
                MeshUser updated = user.withRole(role.get());
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(updated, null,
                        updated.getAuthorities()));
                SecurityContextHolder.setContext(context);
                contexts.saveContext(context, request, response);
            }
        }
        chain.doFilter(request, response);
    }
}
