package io.meshcp.clientconfig;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.filter.ShallowEtagHeaderFilter;

/**
 * What players fetch: the endpoints under /v1, which authenticate by publishable key in the controllers
 * themselves, and the player SDK's files under /sdk, which are public. No session, no CSRF (no cookies are
 * involved), and caching left to the endpoints.
 */
@Configuration(proxyBeanMethods = false)
class PlayerSecurityConfig {

    @Bean
    @Order(20)
    SecurityFilterChain playerSecurity(HttpSecurity http) {
        http.securityMatcher("/v1/**", "/sdk/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .httpBasic(basic -> basic.disable())
                .logout(logout -> logout.disable())
                .headers(headers -> headers.cacheControl(cache -> cache.disable()))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    /** An ETag on client-config, so a player revalidating an unchanged config gets a 304. */
    @Bean
    FilterRegistrationBean<ShallowEtagHeaderFilter> clientConfigEtags() {
        FilterRegistrationBean<ShallowEtagHeaderFilter> registration =
                new FilterRegistrationBean<>(new ShallowEtagHeaderFilter());
        registration.addUrlPatterns("/v1/client-config");
        return registration;
    }
}
