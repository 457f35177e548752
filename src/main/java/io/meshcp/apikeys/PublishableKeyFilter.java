package io.meshcp.apikeys;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.ForbiddenException;
import io.meshcp.shared.problems.ProblemResponses;
import io.meshcp.shared.problems.ProblemType;
import io.meshcp.shared.problems.Problems;
import io.meshcp.shared.problems.RetryLaterException;
import io.meshcp.shared.problems.UnauthenticatedException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates the player endpoints that take a publishable key, as {@code key=mesh_pk_...} in the query or in the
 * {@code X-Mesh-Key} header, and checks a browser's {@code Origin} against the key's allowed origins. A valid key
 * becomes the request's principal, a {@link PlayerKey}; anything else is refused with a 401 or 403 problem detail,
 * before the endpoint reads a byte of the body. Not a bean, so Boot does not also register it as a servlet filter for
 * every path.
 */
final class PublishableKeyFilter extends OncePerRequestFilter {

    private static final String PARAMETER = "key";

    private final ApiKeys apiKeys;

    private final RequestMatcher keyed;

    private final JsonMapper json;

    /** @param keyed the requests that must carry a publishable key (not CORS preflights, which carry none) */
    PublishableKeyFilter(ApiKeys apiKeys, RequestMatcher keyed, JsonMapper json) {
        this.apiKeys = apiKeys;
        this.keyed = keyed;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !keyed.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key;
        try {
            key = keyOf(request);
        }
        catch (InvalidParameterException undecodable) {
            refuse(response, Problems.of(HttpStatus.BAD_REQUEST, ProblemType.MALFORMED_REQUEST,
                    "The query string is not valid percent-encoded UTF-8."));
            return;
        }
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        // A page of this application (its demo player) is served like a native app: no origin to check.
        boolean own = Origins.isOwn(origin, request.getScheme(), request.getServerName(), request.getServerPort());
        VerifiedKey verified;
        try {
            verified = apiKeys.verifyPlayer(key, own ? null : origin);
        }
        catch (UnauthenticatedException refused) {
            refuse(response, Problems.of(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHENTICATED, refused.getMessage()));
            return;
        }
        catch (ForbiddenException refused) {
            refuse(response, Problems.of(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, refused.getMessage()));
            return;
        }
        catch (RetryLaterException unavailable) {
            // A key not read before, while the database is away or its connections are all taken. The error page
            // would answer the same (ProblemErrorController), but after the container logs a stack trace: one per
            // player request through an outage.
            SecurityContextHolder.clearContext();
            ProblemResponses.writeRetryLater(response, unavailable, json);
            return;
        }
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                new PlayerKey(verified.keyId(), verified.tenantId(), ApiKeys.hash(key)), null, List.of()));
        SecurityContextHolder.setContext(context);
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, ProblemDetail problem) throws IOException {
        SecurityContextHolder.clearContext();
        ProblemResponses.write(response, problem, json);
    }

    /**
     * The key from the query, else the header. Not from a form body: no player endpoint takes one, and the container
     * would read it past the request body limit, which guards only the body's stream.
     */
    private static String keyOf(HttpServletRequest request) {
        String contentType = request.getContentType();
        boolean formBody = contentType != null && contentType.strip().toLowerCase(Locale.ROOT)
                .startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
        // The whole query, not only the key: it is where the container refuses undecodable text and the firewall
        // refuses control characters in any parameter, before anything is authenticated.
        String[] key = formBody ? null : request.getParameterMap().get(PARAMETER);
        return key != null && key.length > 0 ? key[0] : request.getHeader(PlayerKey.HEADER);
    }
}
