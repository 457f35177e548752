/**
 * Several replicas as one system, through Redis, used only when {@code spring.data.redis.url} or
 * {@code .host} is set; without it nothing here exists and the node runs on its own. It carries cache
 * invalidation (after a key, policy, kill switch or stream change commits on one node, every other node drops
 * the same cache entries at once instead of waiting for them to expire), the rate-limit buckets
 * ({@code RedisRateLimiter}), and turns on Boot's Redis session store, so that dashboard sessions are shared.
 * A Redis outage leaves each node working on its own and shows as a DEGRADED health component. Other modules
 * that keep state in Redis themselves (signaling's swarms) mark their beans
 * {@link io.meshcp.cluster.ConditionalOnRedis}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cluster",
        allowedDependencies = {"apikeys", "policies", "shared", "shared :: limits", "streams"})
package io.meshcp.cluster;
