package io.meshcp.shared.limits;

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
     * @return whether there was a token, and what is left
     */
    Outcome tryTake(String bucket, int capacity, Duration refill);

    /**
     * {@link #tryTake}, for callers that only need the answer.
     *
     * @return zero when there was a token, otherwise how long until the next one
     */
    default Duration take(String bucket, int capacity, Duration refill) {
        return tryTake(bucket, capacity, refill).retryAfter();
    }

    /** {@code perSecond} tokens a second, bursts of twice that. */
    default Duration take(String bucket, int perSecond) {
        return take(bucket, 2 * perSecond, Duration.ofSeconds(2));
    }

    /** Buckets in this node's memory, each forgotten once it would be full again. */
    static RateLimiter inMemory() {
        return new InMemoryRateLimiter();
    }

    /**
     * One take.
     *
     * @param retryAfter zero when a token was taken, otherwise how long until the next one
     * @param remaining whole tokens left after this take
     * @param untilFull how long until the bucket is full again if nothing more is taken
     */
    record Outcome(Duration retryAfter, long remaining, Duration untilFull) {

        public boolean taken() {
            return retryAfter.isZero();
        }
    }
}
