package io.meshcp.shared;

import java.time.Clock;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SharedConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Dashboard pages fail fast while the database is away; ahead of the security chains, which read it too. */
    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutagePages(DatabaseAvailability availability) {
        FilterRegistrationBean<DatabaseOutageFilter> registration = new FilterRegistrationBean<>(
                new DatabaseOutageFilter(availability));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 200);
        return registration;
    }
}
