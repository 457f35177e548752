package io.meshcp.cluster;

import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.shared.limits.Tallies;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

@Configuration(proxyBeanMethods = false)
@Conditional(RedisConfigured.class)
class ClusterConfiguration {

    /** Takes precedence over the shared module's in-memory limiter, which is its fallback. */
    @Bean
    RateLimiter redisRateLimiter(ReactiveStringRedisTemplate redis) {
        return new RedisRateLimiter(redis);
    }

    /** Takes precedence over the shared module's in-memory tallies, which are its fallback. */
    @Bean
    Tallies redisTallies(ReactiveStringRedisTemplate redis) {
        return new RedisTallies(redis);
    }

    /** Named like Boot's own Redis health contributor, which therefore backs off. */
    @Bean
    RedisHealthIndicator redisHealthContributor(RedisConnectionFactory connections) {
        return new RedisHealthIndicator(connections);
    }
}
