package io.meshcp.apikeys;

import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.shared.problems.ProblemResponses;
import io.meshcp.shared.problems.ProblemType;
import io.meshcp.shared.problems.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import tools.jackson.databind.json.JsonMapper;

/** The REST API under /api: stateless, secret keys only, a request rate per key, every refusal a problem detail. */
@Configuration(proxyBeanMethods = false)
class ApiSecurityConfig {

    @Bean
    @Order(10)
    SecurityFilterChain apiSecurity(HttpSecurity http, ApiKeys apiKeys, IdempotentRequests idempotentRequests,
            RateLimiter rateLimiter, ApiProperties properties, MeterRegistry meters, JsonMapper json) {
        AuthenticationEntryPoint unauthenticated = (request, response, e) -> {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"meshcp\"");
            ProblemResponses.write(response,
                    Problems.of(HttpStatus.UNAUTHORIZED, ProblemType.UNAUTHENTICATED, e.getMessage()), json);
        };
        AccessDeniedHandler forbidden = (request, response, e) -> ProblemResponses.write(response,
                Problems.of(HttpStatus.FORBIDDEN, ProblemType.FORBIDDEN, "This key's role may not do that; "
                        + "docs/permissions.md lists what each role may do."), json);
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .anonymous(anonymous -> anonymous.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .exceptionHandling(handling -> handling.authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                // A key's role, as a member's in the dashboard (docs/permissions.md): VIEWER reads, OPS runs streams,
                // policies, events and switches, ADMIN also the organisation's settings, keys, team and webhooks.
                .authorizeHttpRequests(requests -> requests
                        // Webhook URLs can be secrets themselves (a chat service's incoming-webhook URL): ADMIN only.
                        .requestMatchers("/api/v1/webhooks/**", "/api/v1/webhooks").hasRole("ADMIN")
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole("VIEWER")
                        .requestMatchers(HttpMethod.HEAD, "/api/**").hasRole("VIEWER")
                        .requestMatchers("/api/v1/tenant", "/api/v1/keys/**", "/api/v1/members/**",
                                "/api/v1/invitations/**").hasRole("ADMIN")
                        .anyRequest().hasRole("OPS"))
                .addFilterBefore(new BearerKeyFilter(apiKeys, unauthenticated, json), AuthorizationFilter.class)
                .addFilterAfter(new ApiRateLimitFilter(rateLimiter, properties.rateLimit(),
                        meters.counter("meshcp.api.refusals", "reason", "rate_limited"), json), BearerKeyFilter.class)
                .addFilterAfter(new IdempotencyFilter(idempotentRequests, json), ApiRateLimitFilter.class);
        return http.build();
    }
}
