package io.meshcp.apikeys;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import io.meshcp.shared.problems.ProblemResponses;
import io.meshcp.shared.problems.RetryLaterException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates {@code Authorization: Bearer mesh_sk_...}. Anything else (no header, another scheme, a
 * publishable, unknown, revoked or expired key) is refused with a 401 problem, never passed on
 * anonymously. Not a bean, so Boot does not also register it as a servlet filter for every path.
 */
class BearerKeyFilter extends OncePerRequestFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys apiKeys;

    private final AuthenticationEntryPoint entryPoint;

    private final JsonMapper json;

    BearerKeyFilter(ApiKeys apiKeys, AuthenticationEntryPoint entryPoint, JsonMapper json) {
        this.apiKeys = apiKeys;
        this.entryPoint = entryPoint;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<String> problem;
        try {
            problem = authenticate(request.getHeader(HttpHeaders.AUTHORIZATION));
        }
        catch (RetryLaterException unavailable) {
            // A key not read before, while the database is away or its connections are all taken. The error page
            // would answer the same (ProblemErrorController), but after the container logs a stack trace: one per
            // player request through an outage.
            SecurityContextHolder.clearContext();
            ProblemResponses.writeRetryLater(response, unavailable, json);
            return;
        }
        if (problem.isPresent()) {
            SecurityContextHolder.clearContext();
            entryPoint.commence(request, response, new BadCredentialsException(problem.get()));
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<String> authenticate(String header) {
        if (header == null || header.isBlank()) {
            return Optional.of("Send a secret key as 'Authorization: Bearer mesh_sk_...'.");
        }
        if (header.length() < BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.of("The Authorization header must use the Bearer scheme with a secret key.");
        }
        String key = header.substring(BEARER.length()).strip();
        if (KeyKind.PUBLISHABLE.matches(key)) {
            return Optional.of("A publishable key cannot call the REST API; use a secret key (mesh_sk_...).");
        }
        if (!KeyKind.SECRET.matches(key)) {
            return Optional.of("The bearer token is not a secret key (mesh_sk_...).");
        }
        Optional<VerifiedKey> verified = apiKeys.verify(key);
        if (verified.isEmpty()) {
            return Optional.of("The key is unknown, revoked or expired.");
        }
        VerifiedKey valid = verified.get();
        ApiKeyPrincipal principal = new ApiKeyPrincipal(valid.keyId(), valid.tenantId(), valid.name(),
                valid.displayPrefix(), valid.role());
        // Its role, like a member's, says what it may do (ApiSecurityConfig).
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                List.of(new SimpleGrantedAuthority(valid.role().authority()))));
        SecurityContextHolder.setContext(context);
        return Optional.empty();
    }
}
