package io.meshcp.shared.limits;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;

@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

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
