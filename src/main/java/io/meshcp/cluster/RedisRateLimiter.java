package io.meshcp.cluster;

import java.time.Duration;
import java.util.List;

import io.meshcp.shared.limits.RateLimiter;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Token buckets in Redis, one hash per bucket that expires once it would be full again, so every node takes
 * from the same bucket. The script refills and takes in one step on Redis's own clock, so nodes whose clocks
 * differ still agree.
 *
 * <p>When Redis does not answer within {@link FailOpen#DEADLINE}, the node falls back to its own in-memory buckets
 * (fails open) for {@link FailOpen#RETRY} before one request tries Redis again. Throttling exists to protect ingest,
 * so refusing players' telemetry because the throttle's store is down would be the outage it is meant to
 * prevent; meanwhile each node allows the rate on its own, so the whole system allows at most that many times
 * the rate, and the database's own back-pressure (503) still applies.
 */
class RedisRateLimiter implements RateLimiter {

    static final String KEY_PREFIX = "meshcp:rate:";

    /** At most this long at start: the connect timeout (2 s) bounds the rest. */
    private static final Duration CONNECT_WAIT = Duration.ofSeconds(2);

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

    private final FailOpen failOpen = new FailOpen("Rate limits");

    RedisRateLimiter(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    /**
     * Opens the connection to Redis and loads the script before the first request waits on them: they can take
     * longer than a call's deadline ({@link FailOpen#DEADLINE}), which would put a node that has just started on its
     * own buckets for {@link FailOpen#RETRY}. A Redis that is away changes nothing here: calls then fail open.
     */
    @EventListener(ApplicationReadyEvent.class)
    void connect() {
        try {
            redis.execute(TAKE, List.of(KEY_PREFIX + "connect"), List.of("1", "1")).blockLast(CONNECT_WAIT);
        }
        catch (RuntimeException e) {
            // The first call finds out and says so (FailOpen).
        }
    }

    @Override
    public Outcome tryTake(String bucket, int capacity, Duration refill) {
        return failOpen.call(() -> redis.execute(TAKE, List.of(KEY_PREFIX + bucket),
                List.of(Double.toString(capacity / (double) (refill.toNanos() / 1000)), Integer.toString(capacity)))
                .single().map(answer -> new Outcome(micros(answer.get(0)), ((Number) answer.get(1)).longValue(),
                        micros(answer.get(2)))),
                () -> local.tryTake(bucket, capacity, refill));
    }

    private static Duration micros(Object value) {
        return Duration.ofNanos(((Number) value).longValue() * 1000);
    }
}
