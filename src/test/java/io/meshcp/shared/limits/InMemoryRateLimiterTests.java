package io.meshcp.shared.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class InMemoryRateLimiterTests {

    final RateLimiter limiter = RateLimiter.inMemory();

    @Test
    void aBucketGivesItsCapacityAtOnceThenOneTokenPerShareOfTheRefillPeriod() {
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take("sign-ups:198.51.100.7", 3, Duration.ofHours(1))).isZero();
        }

        Duration wait = limiter.take("sign-ups:198.51.100.7", 3, Duration.ofHours(1));

        assertThat(wait).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
        assertThat(limiter.take("sign-ups:198.51.100.8", 3, Duration.ofHours(1))).as("another bucket").isZero();
    }

    @Test
    void eachTakeTellsWhatIsLeftAndWhenTheBucketIsFullAgain() {
        RateLimiter.Outcome first = limiter.tryTake("api:key", 3, Duration.ofHours(1));
        limiter.tryTake("api:key", 3, Duration.ofHours(1));
        RateLimiter.Outcome third = limiter.tryTake("api:key", 3, Duration.ofHours(1));
        RateLimiter.Outcome refused = limiter.tryTake("api:key", 3, Duration.ofHours(1));

        assertThat(first.taken()).isTrue();
        assertThat(first.remaining()).isEqualTo(2);
        assertThat(first.untilFull()).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
        assertThat(third.remaining()).isZero();
        assertThat(third.untilFull()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60));
        assertThat(refused.taken()).isFalse();
        assertThat(refused.remaining()).isZero();
        assertThat(refused.retryAfter()).isBetween(Duration.ofMinutes(19), Duration.ofMinutes(20));
    }

    @Test
    void aPerSecondBucketAllowsBurstsOfTwiceItsRate() {
        for (int i = 0; i < 10; i++) {
            assertThat(limiter.take("telemetry:key", 5)).isZero();
        }
        assertThat(limiter.take("telemetry:key", 5)).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));
    }
}
