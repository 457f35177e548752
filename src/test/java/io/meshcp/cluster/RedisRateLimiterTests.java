package io.meshcp.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;

import io.meshcp.shared.limits.RateLimiter;
import io.meshcp.support.Replicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/** Buckets in a real Redis, taken from by two limiters as by two nodes. */
class RedisRateLimiterTests {

    static LettuceConnectionFactory redis;

    final String bucket = "sign-ups:" + UUID.randomUUID();

    @BeforeAll
    static void connect() {
        URI url = URI.create(Replicas.redisUrl());
        redis = new LettuceConnectionFactory(new RedisStandaloneConfiguration(url.getHost(), url.getPort()));
        redis.afterPropertiesSet();
        redis.start();
    }

    @AfterAll
    static void disconnect() {
        redis.destroy();
    }

    @Test
    void twoNodesShareABucketOfAnHourlyLimit() {
        RateLimiter one = new RedisRateLimiter(new ReactiveStringRedisTemplate(redis));
        RateLimiter two = new RedisRateLimiter(new ReactiveStringRedisTemplate(redis));

        assertThat(one.take(bucket, 3, Duration.ofHours(1))).isZero();
        assertThat(two.take(bucket, 3, Duration.ofHours(1))).isZero();
        assertThat(one.take(bucket, 3, Duration.ofHours(1))).isZero();

        RateLimiter.Outcome refused = two.tryTake(bucket, 3, Duration.ofHours(1));
        assertThat(refused.taken()).isFalse();
        assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
        assertThat(refused.remaining()).isZero();
        assertThat(refused.untilFull()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60));
    }

    @Test
    void eachTakeTellsTheWholeTokensLeft() {
        RateLimiter node = new RedisRateLimiter(new ReactiveStringRedisTemplate(redis));

        RateLimiter.Outcome first = node.tryTake(bucket, 600, Duration.ofMinutes(1));
        RateLimiter.Outcome second = node.tryTake(bucket, 600, Duration.ofMinutes(1));

        assertThat(first.remaining()).isEqualTo(599);
        assertThat(second.remaining()).isEqualTo(598);
        assertThat(second.untilFull()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void aPerSecondLimitStillAllowsBurstsOfTwiceItsRate() {
        RateLimiter node = new RedisRateLimiter(new ReactiveStringRedisTemplate(redis));
        for (int i = 0; i < 10; i++) {
            assertThat(node.take(bucket, 5)).isZero();
        }
        assertThat(node.take(bucket, 5)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
    }
}
