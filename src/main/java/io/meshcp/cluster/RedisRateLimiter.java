package io.meshcp.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.meshcp.shared.RateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Token buckets in Redis, one hash per bucket that expires once it would be full again, so every node takes
 * from the same bucket. The script refills and takes in one step on Redis's own clock, so nodes whose clocks
 * differ still agree.
 *
 * <p>When Redis does not answer within {@link #DEADLINE}, the node falls back to its own in-memory buckets
 * (fails open) for {@link #RETRY} before one request tries Redis again. Throttling exists to protect ingest,
 * so refusing players' telemetry because the throttle's store is down would be the outage it is meant to
 * prevent; meanwhile each node allows the rate on its own, so the whole system allows at most that many times
 * the rate, and the database's own back-pressure (503) still applies.
 */
class RedisRateLimiter implements RateLimiter {

    static final String KEY_PREFIX = "meshcp:rate:";

    // Redis answers in well under a millisecond; a node kept waiting longer serves players better from its own
    // buckets than by holding their requests.
    static final Duration DEADLINE = Duration.ofMillis(250);

    static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimiter.class);

    // KEYS[1] the bucket; ARGV[1] tokens a microsecond, ARGV[2] capacity. Returns the wait in microseconds (0 if
    // taken), the whole tokens left, and the microseconds until the bucket is full again.
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> TAKE = RedisScript.of("""
            local rate = tonumber(ARGV[1])
            local capacity = tonumber(ARGV[2])
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
            local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
            local tokens = tonumber(state[1]) or capacity
            local at = tonumber(state[2]) or now
            tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
            local wait = 0
            if tokens >= 1 then
              tokens = tokens - 1
            else
              wait = math.ceil((1 - tokens) / rate)
            end
            redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
            local untilFull = math.ceil((capacity - tokens) / rate)
            redis.call('PEXPIRE', KEYS[1], math.ceil(untilFull / 1000) + 1000)
            return {wait, math.floor(tokens), untilFull}
            """, List.class);

    private final ReactiveStringRedisTemplate redis;

    private final RateLimiter local = RateLimiter.inMemory();

    /** {@link System#nanoTime()} from which Redis may be tried again; {@code Long.MIN_VALUE} while it answers. */
    private final AtomicLong retryAt = new AtomicLong(Long.MIN_VALUE);

    RedisRateLimiter(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public Outcome tryTake(String bucket, int capacity, Duration refill) {
        long now = System.nanoTime();
        long retry = retryAt.get();
        boolean wasDown = retry != Long.MIN_VALUE;
        // While Redis is down, one request at a time tries it again; the others do not wait on it.
        if (wasDown && (now - retry < 0 || !retryAt.compareAndSet(retry, now + RETRY.toNanos()))) {
            return local.tryTake(bucket, capacity, refill);
        }
        try {
            List<?> answer = redis.execute(TAKE, List.of(KEY_PREFIX + bucket),
                    List.of(Double.toString(capacity / (double) (refill.toNanos() / 1000)), Integer.toString(capacity)))
                    .single().timeout(DEADLINE).block();
            if (wasDown) {
                retryAt.set(Long.MIN_VALUE);
                log.info("Rate limits are shared through Redis again");
            }
            return new Outcome(micros(answer.get(0)), ((Number) answer.get(1)).longValue(), micros(answer.get(2)));
        }
        catch (RuntimeException e) {
            retryAt.set(now + RETRY.toNanos());
            if (!wasDown) {
                log.warn("Redis did not answer for a rate limit; this node limits on its own and tries again every "
                        + "{} s: {}", RETRY.toSeconds(), e.toString());
            }
            return local.tryTake(bucket, capacity, refill);
        }
    }

    private static Duration micros(Object value) {
        return Duration.ofNanos(((Number) value).longValue() * 1000);
    }
}
