package io.meshcp.accounts;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * Security of everything a browser uses: form login with throttling, session cookie, CSRF on every
 * form, security headers. The REST API and the player endpoints have chains of their own with a higher
 * precedence; this one takes whatever they leave.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class DashboardSecurityConfig {

    private static final String ARGON2 = "argon2@SpringSecurity_v5_8";

    private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
            + "style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors 'none'; form-action 'self'; base-uri 'self'; object-src 'none'";

    /** Argon2id for new hashes; the delegating encoder still reads older formats should the default change. */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new DelegatingPasswordEncoder(ARGON2, Map.of(
                ARGON2, Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "bcrypt", new BCryptPasswordEncoder()));
    }

    /** OWNER > ADMIN > OPS > VIEWER, for members and secret keys alike (see docs/permissions.md). */
    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("""
                ROLE_OWNER > ROLE_ADMIN
                ROLE_ADMIN > ROLE_OPS
                ROLE_OPS > ROLE_VIEWER
                """);
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityFilterChain dashboardSecurity(HttpSecurity http, MeshUserDetailsService userDetails,
            PasswordEncoder passwordEncoder, LoginThrottle throttle, LoginHandlers loginHandlers,
            Accounts accounts) {
        DaoAuthenticationProvider passwords = new DaoAuthenticationProvider(userDetails);
        passwords.setPasswordEncoder(passwordEncoder);
        // Its own manager, without the global parent: a parent would retry a throttled attempt unthrottled.
        http.authenticationManager(new ProviderManager(new ThrottledAuthenticationProvider(passwords, throttle)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/login", "/signup", "/invitations/**", "/error", "/css/**", "/js/**",
                                "/webjars/**", "/favicon.ico", "/favicon.svg")
                        .permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus",
                                "/actuator/info")
                        .permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/actuator/**").denyAll()
                        .anyRequest().hasRole("VIEWER"))
                .formLogin(form -> form.loginPage("/login").usernameParameter("email")
                        .successHandler(loginHandlers).failureHandler(loginHandlers))
                .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)))
                .addFilterBefore(new CurrentMemberFilter(accounts), AuthorizationFilter.class);
        return http.build();
    }
}
