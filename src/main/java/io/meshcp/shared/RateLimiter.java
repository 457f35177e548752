package io.meshcp.shared;

import java.time.Duration;

/**
 * Token buckets by name: {@code perSecond} tokens a second, bursts of twice that. With Redis configured the
 * buckets are shared by every node ({@code io.meshcp.cluster}), so a limit holds for the whole system however
 * many replicas take the requests; without it they are this node's own.
 */
public interface RateLimiter {

    /**
     * Takes a token from the named bucket.
     *
     * @return zero when there was a token, otherwise how long until the next one
     */
    Duration take(String bucket, int perSecond);

    /** Buckets in this node's memory, forgotten ten minutes after their last use. */
    static RateLimiter inMemory() {
        return new InMemoryRateLimiter();
    }
}
