package io.meshcp.shared;

import java.time.Duration;

/**
 * Token buckets by name. With Redis configured the buckets are shared by every node ({@code io.meshcp.cluster}), so a
 * limit holds for the whole system however many replicas take the requests; without it they are this node's own.
 */
public interface RateLimiter {

    /**
     * Takes a token from the named bucket, which holds {@code capacity} tokens and refills them evenly over
     * {@code refill} (so bursts of up to {@code capacity}, and {@code capacity} per {@code refill} sustained).
     *
     * @return zero when there was a token, otherwise how long until the next one
     */
    Duration take(String bucket, int capacity, Duration refill);

    /** {@code perSecond} tokens a second, bursts of twice that. */
    default Duration take(String bucket, int perSecond) {
        return take(bucket, 2 * perSecond, Duration.ofSeconds(2));
    }

    /** Buckets in this node's memory, each forgotten once it would be full again. */
    static RateLimiter inMemory() {
        return new InMemoryRateLimiter();
    }
}
