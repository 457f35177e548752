package io.meshcp.shared.limits;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/** {@link RateLimiter#inMemory()}. */
final class InMemoryRateLimiter implements RateLimiter {

    // A bucket is dropped once it would have refilled: forgetting it earlier would hand out a fresh burst.
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfter(new Expiry<String, Bucket>() {
        @Override
        public long expireAfterCreate(String name, Bucket bucket, long currentTime) {
            return bucket.nanosUntilFull();
        }

        @Override
        public long expireAfterUpdate(String name, Bucket bucket, long currentTime, long currentDuration) {
            return bucket.nanosUntilFull();
        }

        @Override
        public long expireAfterRead(String name, Bucket bucket, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }).maximumSize(100_000).build();

    @Override
    public Outcome tryTake(String bucket, int capacity, Duration refill) {
        Outcome[] outcome = new Outcome[1];
        // Taken inside compute(), so the bucket's expiry is worked out from what is left after this take.
        buckets.asMap().compute(bucket, (name, existing) -> {
            Bucket taken = existing != null ? existing : new Bucket(capacity, refill);
            outcome[0] = taken.take(System.nanoTime());
            return taken;
        });
        return outcome[0];
    }

    private static final class Bucket {

        private final double capacity;

        /** Tokens a nanosecond. */
        private final double rate;

        private double tokens;

        private long refilledAt;

        Bucket(int capacity, Duration refill) {
            this.capacity = capacity;
            this.rate = capacity / (double) refill.toNanos();
            this.tokens = capacity;
            this.refilledAt = System.nanoTime();
        }

        synchronized Outcome take(long now) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * rate);
            refilledAt = now;
            Duration wait = Duration.ZERO;
            if (tokens >= 1) {
                tokens -= 1;
            }
            else {
                wait = Duration.ofNanos((long) Math.ceil((1 - tokens) / rate));
            }
            return new Outcome(wait, (long) tokens, Duration.ofNanos((long) Math.ceil((capacity - tokens) / rate)));
        }

        /** From the last take, until the tokens taken are back (plus a second). */
        synchronized long nanosUntilFull() {
            return (long) ((capacity - tokens) / rate) + 1_000_000_000L;
        }
    }
}
