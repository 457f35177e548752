package io.meshcp.cluster;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out Boot's Redis and Redis-session auto-configuration unless Redis is configured. Otherwise Boot would
 * still make a client for localhost:6379, a Redis health check and a session store in Redis, so health would
 * turn DOWN and no one could sign in on a node run without Redis. Registered in {@code META-INF/spring.factories}.
 */
class RedisAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
            "org.springframework.boot.data.redis.autoconfigure.",
            "org.springframework.boot.session.data.redis.autoconfigure.");

    private boolean redisConfigured;

    @Override
    public void setEnvironment(Environment environment) {
        redisConfigured = RedisConfigured.in(environment);
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            String candidate = autoConfigurationClasses[i];
            matches[i] = redisConfigured || candidate == null
                    || REDIS_AUTO_CONFIGURATIONS.stream().noneMatch(candidate::startsWith);
        }
        return matches;
    }
}
