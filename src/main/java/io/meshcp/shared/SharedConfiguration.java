package io.meshcp.shared;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SharedConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** This node's own buckets; the cluster module's Redis-backed limiter takes precedence when Redis is configured. */
    @Bean
    @Fallback
    RateLimiter localRateLimiter() {
        return RateLimiter.inMemory();
    }
}
