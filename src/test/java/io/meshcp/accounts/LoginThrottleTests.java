package io.meshcp.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import io.meshcp.shared.limits.Tallies;
import org.junit.jupiter.api.Test;

class LoginThrottleTests {

    final MutableClock clock = new MutableClock();

    final LoginThrottle throttle = new LoginThrottle(Tallies.inMemory(), clock);

    @Test
    void theFirstFailuresCostNothingThenTheWaitGrowsExponentially() {
        fail("ada@example.com", "198.51.100.0/24", LoginThrottle.PAIR_FREE_FAILURES - 1);
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isEmpty();

        fail("ada@example.com", "198.51.100.0/24", 1);
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).contains(Duration.ofSeconds(1));

        fail("ada@example.com", "198.51.100.0/24", 3);
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).contains(Duration.ofSeconds(8));

        clock.advance(Duration.ofSeconds(8));
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isEmpty();
    }

    @Test
    void theWaitIsCappedSoNothingIsLockedForGood() {
        fail("ada@example.com", "198.51.100.0/24", 40);

        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).contains(LoginThrottle.MAX_WAIT);
        clock.advance(LoginThrottle.MAX_WAIT);
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isEmpty();
    }

    @Test
    void accountNamesAreComparedWithoutCaseOrSpaces() {
        fail("Ada@Example.com ", "198.51.100.0/24", LoginThrottle.PAIR_FREE_FAILURES);

        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isPresent();
    }

    @Test
    void oneNetworkTryingManyAccountsIsThrottledForEveryAccount() {
        for (int i = 0; i < LoginThrottle.NETWORK_FREE_FAILURES; i++) {
            fail("user" + i + "@example.com", "203.0.113.0/24", 1);
        }

        assertThat(throttle.waitBefore("someone-else@example.com", "203.0.113.0/24")).isPresent();
        assertThat(throttle.waitBefore("someone-else@example.com", "192.0.2.0/24")).isEmpty();
    }

    @Test
    void manyNetworksAttackingOneAccountDoNotLockItsOwnerOutOfAKnownNetwork() {
        throttle.succeeded("ada@example.com", "198.51.100.0/24");
        for (int i = 0; i < LoginThrottle.ACCOUNT_FREE_FAILURES + 5; i++) {
            fail("ada@example.com", "10.0." + i + ".0/24", 1);
        }

        assertThat(throttle.waitBefore("ada@example.com", "10.99.99.0/24")).isPresent();
        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isEmpty();
    }

    @Test
    void aSuccessClearsTheFailuresOfThatAccountAndNetwork() {
        fail("ada@example.com", "198.51.100.0/24", LoginThrottle.PAIR_FREE_FAILURES - 1);
        throttle.succeeded("ada@example.com", "198.51.100.0/24");
        fail("ada@example.com", "198.51.100.0/24", LoginThrottle.PAIR_FREE_FAILURES - 1);

        assertThat(throttle.waitBefore("ada@example.com", "198.51.100.0/24")).isEmpty();
    }

    private void fail(String email, String network, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(email, network);
        }
    }

    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-06-01T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
