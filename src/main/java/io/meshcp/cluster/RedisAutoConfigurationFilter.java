package io.meshcp.cluster;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves out Boot's Redis auto-configuration unless Redis is configured. Otherwise Boot would still make a
 * client for localhost:6379 and a Redis health check, and health would turn DOWN on every node run without
 * Redis. Registered in {@code META-INF/spring.factories}.
 */
class RedisAutoConfigurationFilter implements AutoConfigurationImportFilter, EnvironmentAware {

    private static final String REDIS_AUTO_CONFIGURATION = "org.springframework.boot.data.redis.autoconfigure.";

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
            matches[i] = redisConfigured || candidate == null || !candidate.startsWith(REDIS_AUTO_CONFIGURATION);
        }
        return matches;
    }
}
