package io.meshcp.apikeys;

import java.time.Duration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * What players fetch: the endpoints under /v1 and the player SDK's files under /sdk. Client-config and telemetry
 * take a publishable key ({@link PublishableKeyFilter}); the ping and the SDK's files are public. No session, no
 * CSRF (no cookies are involved), and caching left to the endpoints.
 */
@Configuration(proxyBeanMethods = false)
class PlayerSecurityConfig {

    static final String CLIENT_CONFIG = "/v1/client-config";

    static final String TELEMETRY = "/v1/telemetry";

    @Bean
    @Order(20)
    SecurityFilterChain playerSecurity(HttpSecurity http, ApiKeys apiKeys, JsonMapper json) {
        RequestMatcher keyed = new OrRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(CLIENT_CONFIG),
                PathPatternRequestMatcher.withDefaults().matcher(TELEMETRY));
        // A CORS preflight (an OPTIONS request) never carries the key; it is answered without one.
        RequestMatcher keyedExceptOptions = request -> !HttpMethod.OPTIONS.matches(request.getMethod())
                && keyed.matches(request);
        http.securityMatcher("/v1/**", "/sdk/**")
                .csrf(csrf -> csrf.disable())
                .cors(cors -> cors.configurationSource(telemetryCors()))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                .addFilterBefore(new PublishableKeyFilter(apiKeys, keyedExceptOptions, json),
                        AuthorizationFilter.class);
        return http.build();
    }

    /**
     * Telemetry may be sent from any origin: the preflight carries no key, and the key's own origins are enforced on
     * the POST. The answers, refusals included, are readable there, and so is Retry-After, so that a player's
     * fetch() knows when to resend after a 429 or 503. Client-config needs no preflight (a plain GET); it allows the
     * origin itself once the key has let it in.
     */
    private static UrlBasedCorsConfigurationSource telemetryCors() {
        CorsConfiguration telemetry = new CorsConfiguration();
        telemetry.setAllowedOriginPatterns(List.of("*"));
        telemetry.setAllowedMethods(List.of(HttpMethod.POST.name()));
        telemetry.setAllowedHeaders(List.of(HttpHeaders.CONTENT_TYPE, PlayerKey.HEADER));
        telemetry.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER));
        telemetry.setMaxAge(Duration.ofMinutes(10));
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration(TELEMETRY, telemetry);
        return source;
    }
}
