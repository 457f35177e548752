package io.meshcp.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import io.meshcp.shared.Tokens;
import io.meshcp.shared.limits.Tallies;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * Tallies in Redis, one hash per name that expires when the name is to be forgotten, so every node counts into the
 * same tally. Names are stored as their SHA-256: they hold sign-in addresses, which have no business in Redis. While
 * Redis does not answer, the node counts on its own ({@link FailOpen}).
 */
class RedisTallies implements Tallies {

    static final String KEY_PREFIX = "meshcp:tally:";

    // KEYS[1] the tally; ARGV[1] the time of this count (epoch ms), ARGV[2] how long to keep it (ms).
    private static final RedisScript<Long> ADD = RedisScript.of("""
            local count = redis.call('HINCRBY', KEYS[1], 'n', 1)
            redis.call('HSET', KEYS[1], 'at', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return count
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;

    private final Tallies local = Tallies.inMemory();

    private final FailOpen failOpen = new FailOpen("Login throttling and other tallies");

    RedisTallies(ReactiveStringRedisTemplate redis) {
        this.redis = redis;
    }

    @Override
    public void add(String name, Instant now, Duration keep) {
        failOpen.call(() -> redis.execute(ADD, List.of(key(name)), List.of(Long.toString(now.toEpochMilli()),
                Long.toString(Math.max(1, keep.toMillis())))).single(), () -> {
                    local.add(name, now, keep);
                    return 0L;
                });
    }

    @Override
    public Optional<Tally> get(String name) {
        Optional<Tally> tally = failOpen.call(() -> redis.<String, String>opsForHash().multiGet(key(name), List.of("n", "at"))
                .map(values -> values.get(0) == null || values.get(1) == null ? Optional.<Tally>empty()
                        : Optional.of(new Tally(Integer.parseInt(values.get(0)),
                                Instant.ofEpochMilli(Long.parseLong(values.get(1)))))),
                () -> local.get(name));
        return tally == null ? Optional.empty() : tally;
    }

    @Override
    public void forget(String name) {
        failOpen.call(() -> redis.delete(key(name)), () -> {
            local.forget(name);
            return 0L;
        });
    }

    private static String key(String name) {
        return KEY_PREFIX + HexFormat.of().formatHex(Tokens.sha256(name));
    }
}
