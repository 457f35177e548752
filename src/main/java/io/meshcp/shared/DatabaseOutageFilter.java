package io.meshcp.shared;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The dashboard while PostgreSQL cannot be reached: its pages answer 503 at once (the error page for browsers,
 * problem+json for others, through {@code /error}) instead of each waiting out the connection pool and failing with
 * 500. One request every half second goes through as the probe; when it succeeds, the dashboard is back. The API
 * and the player endpoints are left to their own handling: they serve what they can from memory.
 */
class DatabaseOutageFilter extends OncePerRequestFilter {

    private static final List<String> NOT_DASHBOARD = List.of("/api/", "/v1/", "/sdk/", "/actuator", "/css/", "/js/",
            "/webjars/", "/favicon.ico", "/error", "/v3/api-docs", "/swagger-ui");

    private final DatabaseAvailability availability;

    DatabaseOutageFilter(DatabaseAvailability availability) {
        this.availability = availability;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return NOT_DASHBOARD.stream().anyMatch(path::startsWith);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!availability.unreachable()) {
            chain.doFilter(request, response);
            return;
        }
        if (!availability.claimProbe()) {
            response.setHeader(HttpHeaders.RETRY_AFTER, "2");
            response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
            return;
        }
        chain.doFilter(request, response);
        if (response.getStatus() < 500) {
            availability.succeeded();
        }
    }
}
