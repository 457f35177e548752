package io.meshcp.signaling;

import io.meshcp.cluster.ConditionalOnRedis;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code signaling} in health, with Redis only: {@code UP} while swarms are shared with the other nodes,
 * {@code DEGRADED} while Redis cannot be reached and peers are matched with peers on this node only. Never
 * {@code DOWN}: the node still serves its peers, so no probe should take it out of the load balancer.
 */
@Component
@ConditionalOnRedis
class SignalingHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis unreachable: peers are matched on this node only");

    private final RedisSwarms swarms;

    SignalingHealthIndicator(RedisSwarms swarms) {
        this.swarms = swarms;
    }

    @Override
    public Health health() {
        return swarms.shared() ? Health.up().build() : Health.status(DEGRADED).build();
    }
}
