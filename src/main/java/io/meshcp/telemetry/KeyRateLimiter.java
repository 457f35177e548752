package io.meshcp.telemetry;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * A token bucket per publishable key: {@code requestsPerSecondPerKey} sustained, bursts of twice that.
 * Per node: with several nodes behind a load balancer each allows the rate, until the buckets move to
 * Redis with the operations work.
 */
@Component
class KeyRateLimiter {

    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000).build();

    private final TelemetryProperties properties;

    KeyRateLimiter(TelemetryProperties properties) {
        this.properties = properties;
    }

    /** Takes a token for this key; the wait until the next one when there is none, else zero. */
    Duration take(UUID keyId) {
        return buckets.get(keyId, id -> new Bucket(properties.requestsPerSecondPerKey())).take(System.nanoTime());
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
