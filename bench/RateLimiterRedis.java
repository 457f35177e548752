import java.lang.reflect.Constructor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.meshcp.shared.RateLimiter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Token buckets in Redis: ours (RedisRateLimiter, one Lua call that refills and takes on Redis's clock) against
 * Bucket4j's Lettuce backend (compare-and-swap: read the state, compute on the node, write it back if unchanged),
 * each as two "nodes" (two connections) sharing the buckets, threads split between them. Two shapes: one hot bucket
 * (a big tenant's key taken by every node), and takes spread over 10,000 buckets. Closed loop: each thread takes,
 * waits for the answer, takes again. Prints Markdown rows: implementation, shape, takes/s, p50 and p99 in µs.
 *
 *   java -cp <classes and runtime classpath and Bucket4j> bench/RateLimiterRedis.java <redis url> <threads> <seconds>
 */
public class RateLimiterRedis {

    /** Never refuses in these runs: what is measured is the cost of a take, not of a refusal. */
    static final int CAPACITY = 1_000_000_000;

    static final Duration REFILL = Duration.ofSeconds(1);

    public static void main(String[] args) throws Exception {
        URI redis = URI.create(args[0]);
        int threads = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        String run = Long.toString(System.nanoTime(), 36);
        List<Taker> ours = List.of(ours(redis), ours(redis));
        List<Taker> bucket4j = List.of(bucket4j(redis), bucket4j(redis));
        System.out.println("| implementation | buckets | takes/s | p50 µs | p99 µs |");
        System.out.println("|---|---|---|---|---|");
        for (int round = 0; round < 2; round++) {
            for (boolean hot : new boolean[] {true, false}) {
                String shape = hot ? "one hot bucket" : "10,000 buckets";
                Supplier<String> keys = hot ? () -> "bench:" + run + ":hot"
                        : () -> "bench:" + run + ":" + ThreadLocalRandom.current().nextInt(10_000);
                measure("ours (Lua, Redis clock)", shape, ours, keys, threads, 2);
                System.out.println(measure("ours (Lua, Redis clock)", shape, ours, keys, threads, seconds));
                measure("Bucket4j 8.16 (Lettuce, CAS)", shape, bucket4j, keys, threads, 2);
                System.out.println(measure("Bucket4j 8.16 (Lettuce, CAS)", shape, bucket4j, keys, threads, seconds));
            }
        }
        System.exit(0);
    }

    interface Taker {
        boolean take(String key);
    }

    static Taker ours(URI redis) throws Exception {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration(redis.getHost(), redis.getPort()));
        factory.afterPropertiesSet();
        factory.start();
        Class<?> type = Class.forName("io.meshcp.cluster.RedisRateLimiter");
        Constructor<?> constructor = type.getDeclaredConstructor(ReactiveStringRedisTemplate.class);
        constructor.setAccessible(true);
        RateLimiter limiter = (RateLimiter) constructor.newInstance(new ReactiveStringRedisTemplate(factory));
        return key -> limiter.tryTake(key, CAPACITY, REFILL).taken();
    }

    static Taker bucket4j(URI redis) {
        StatefulRedisConnection<String, byte[]> connection = RedisClient.create(redis.toString())
                .connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
        ProxyManager<String> buckets = Bucket4jLettuce.casBasedBuilder(connection)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                        Duration.ofSeconds(10))).build();
        BucketConfiguration configuration = BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(CAPACITY).refillGreedy(CAPACITY, REFILL)).build();
        return key -> buckets.getProxy("b4j:" + key, () -> configuration).tryConsumeAndReturnRemaining(1)
                .isConsumed();
    }

    static String measure(String name, String shape, List<Taker> nodes, Supplier<String> keys, int threads,
            int seconds) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<long[]> latencies = new ArrayList<>();
        long[] counts = new long[threads];
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            long[] mine = new long[4_000_000];
            latencies.add(mine);
            Taker node = nodes.get(t % nodes.size());
            Thread.ofPlatform().start(() -> {
                int n = 0;
                long now;
                while ((now = System.nanoTime()) < end && n < mine.length) {
                    if (!node.take(keys.get())) {
                        throw new IllegalStateException("refused: the capacity is meant to be out of reach");
                    }
                    mine[n++] = System.nanoTime() - now;
                }
                counts[thread] = n;
                done.countDown();
            });
        }
        done.await();
        long total = Arrays.stream(counts).sum();
        long[] all = new long[(int) total];
        int at = 0;
        for (int t = 0; t < threads; t++) {
            System.arraycopy(latencies.get(t), 0, all, at, (int) counts[t]);
            at += (int) counts[t];
        }
        Arrays.sort(all);
        return "| %s | %s | %d | %d | %d |".formatted(name, shape, total / seconds, all[all.length / 2] / 1000,
                all[(int) (all.length * 0.99)] / 1000);
    }
}
