package io.meshcp.shared;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/** {@link RateLimiter#inMemory()}. */
final class InMemoryRateLimiter implements RateLimiter {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();

    @Override
    public Duration take(String bucket, int perSecond) {
        return buckets.get(bucket, name -> new Bucket(perSecond)).take(System.nanoTime());
    }

    private static final class Bucket {

        private final double rate;

        private double tokens;

        private long refilledAt;

        Bucket(int rate) {
            this.rate = rate;
            this.tokens = 2.0 * rate;
            this.refilledAt = System.nanoTime();
        }

        synchronized Duration take(long now) {
            tokens = Math.min(2.0 * rate, tokens + (now - refilledAt) / 1e9 * rate);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) ((1 - tokens) / rate * 1e9));
        }
    }
}
