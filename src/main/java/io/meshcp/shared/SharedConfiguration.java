package io.meshcp.shared;

import java.time.Clock;

import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SharedConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Request bodies bounded before anything reads them, ahead of the security chains. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(HttpProperties properties,
            ObjectProvider<RequestBodyLimit> limits) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
                new RequestBodyLimitFilter(properties.maxBodySize().toBytes(), limits.orderedStream().toList()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
        return registration;
    }

    /** Dashboard pages fail fast while the database is away; ahead of the security chains, which read it too. */
    @Bean
    FilterRegistrationBean<DatabaseOutageFilter> databaseOutagePages(DatabaseAvailability availability) {
        FilterRegistrationBean<DatabaseOutageFilter> registration = new FilterRegistrationBean<>(
                new DatabaseOutageFilter(availability));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 200);
        return registration;
    }

    /** Tomcat's own refusals (bad request line, oversize headers) answer problem+json, not its HTML page. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    /** Every field of a request body that does not bind, in one answer ({@link BodyBindingProblems}). */
    @Bean
    JsonMapperBuilderCustomizer collectBodyBindingProblems() {
        return builder -> builder.addHandler(new BodyBindingProblems.Handler());
    }

    /** This node's own tallies; the cluster module's Redis-backed ones take precedence when Redis is configured. */
    @Bean
    @Fallback
    Tallies localTallies() {
        return Tallies.inMemory();
    }

    /** This node's own buckets; the cluster module's Redis-backed limiter takes precedence when Redis is configured. */
    @Bean
    @Fallback
    RateLimiter localRateLimiter() {
        return RateLimiter.inMemory();
    }
}
