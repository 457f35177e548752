/**
 * Several replicas as one system. Always: the cache change log ({@code CacheChangeLog}), through which every node
 * hears of the key, policy, kill switch and stream changes committed on the others and drops its cached copies
 * within a second, with or without Redis. With Redis ({@code spring.data.redis.url} or {@code .host} set; without
 * it none of the rest exists and the node runs on its own): the rate-limit buckets ({@code RedisRateLimiter}), the
 * login tallies, and Boot's Redis session store, so that dashboard sessions are shared. A Redis outage leaves each
 * node working on its own and shows as a DEGRADED health component. Other modules that keep state in Redis
 * themselves (signaling's swarms) mark their beans {@link io.meshcp.cluster.ConditionalOnRedis}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Cluster",
        allowedDependencies = {"apikeys", "database", "policies", "shared", "shared :: limits", "streams"})
package io.meshcp.cluster;
