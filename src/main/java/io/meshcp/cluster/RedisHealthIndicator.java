package io.meshcp.cluster;

import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Boot's Redis check, with an unreachable Redis reported as {@link #DEGRADED} instead of DOWN. A node without
 * Redis still serves players, telemetry and the API (each node limits rates on its own and other nodes' changes
 * arrive when caches expire); only the dashboard, whose sessions are in Redis, waits for it. So a Redis outage
 * must neither turn health DOWN nor take every node out of the load balancer at once: readiness follows
 * PostgreSQL alone.
 */
class RedisHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED",
            "Redis does not answer: nodes work on their own until it is back (docs/operations.md)");

    private final DataRedisHealthIndicator redis;

    RedisHealthIndicator(RedisConnectionFactory connections) {
        this.redis = new DataRedisHealthIndicator(connections);
    }

    @Override
    public Health health(boolean includeDetails) {
        Health health = redis.health(includeDetails);
        if (Status.DOWN.equals(health.getStatus())) {
            return Health.status(DEGRADED).withDetails(health.getDetails()).build();
        }
        return health;
    }

    @Override
    public Health health() {
        return health(true);
    }
}
