package io.meshcp.apikeys;

import java.io.IOException;
import java.time.Duration;

import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.shared.problems.ProblemResponses;
import io.meshcp.shared.problems.ProblemType;
import io.meshcp.shared.problems.Problems;
import io.micrometer.core.instrument.Counter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each secret key's request rate on the REST API, told on every answer in the IETF draft's fields
 * (draft-ietf-httpapi-ratelimit-headers): {@code RateLimit-Limit} (the bucket's size), {@code RateLimit-Remaining},
 * {@code RateLimit-Reset} (seconds until the bucket is full again) and {@code RateLimit-Policy}
 * ({@code 600;w=60}). Over the rate, a 429 problem with {@code Retry-After} (seconds until the next request
 * is taken). Runs after the bearer filter, so only a valid key spends tokens, and before the idempotency
 * filter, so a replayed answer costs a request like any other. Not a bean, like those filters.
 */
class ApiRateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter limiter;

    private final ApiProperties.RateLimit limit;

    private final String policy;

    private final Counter refused;

    private final JsonMapper json;

    ApiRateLimitFilter(RateLimiter limiter, ApiProperties.RateLimit limit, Counter refused, JsonMapper json) {
        this.limiter = limiter;
        this.limit = limit;
        this.policy = limit.requests() + ";w=" + Math.max(1, limit.window().toSeconds());
        this.refused = refused;
        this.json = json;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !(authentication.getPrincipal() instanceof ApiKeyPrincipal key)) {
            chain.doFilter(request, response);
            return;
        }
        RateLimiter.Outcome outcome = limiter.tryTake("api:" + key.keyId(), limit.requests(), limit.window());
        response.setHeader("RateLimit-Limit", Integer.toString(limit.requests()));
        response.setHeader("RateLimit-Remaining", Long.toString(outcome.remaining()));
        response.setHeader("RateLimit-Reset", Long.toString(seconds(outcome.untilFull())));
        response.setHeader("RateLimit-Policy", policy);
        if (!outcome.taken()) {
            refused.increment();
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds(outcome.retryAfter()))));
            ProblemResponses.write(response, Problems.of(HttpStatus.TOO_MANY_REQUESTS, ProblemType.TOO_MANY_REQUESTS,
                    "This key sent more than " + limit.requests() + " requests in " + describe(limit.window())
                            + "; Retry-After says when the next one is taken."), json);
            return;
        }
        chain.doFilter(request, response);
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

    private static String describe(Duration window) {
        long seconds = window.toSeconds();
        if (seconds % 3600 == 0) {
            return seconds == 3600 ? "an hour" : seconds / 3600 + " hours";
        }
        if (seconds % 60 == 0) {
            return seconds == 60 ? "a minute" : seconds / 60 + " minutes";
        }
        return seconds == 1 ? "a second" : seconds + " seconds";
    }
}
