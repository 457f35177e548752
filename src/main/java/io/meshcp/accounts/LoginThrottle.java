package io.meshcp.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without handing an attacker a way to lock the real user out.
 * <ul>
 * <li>per account and network: after a few failures, an exponentially growing wait;</li>
 * <li>per network across accounts: the same, with a higher threshold (credential stuffing);</li>
 * <li>per account across networks: the same, but not for networks where the account has logged in
 * before, so a distributed attack on one address does not keep its owner out.</li>
 * </ul>
 * A wait never exceeds {@link #MAX_WAIT}; nothing is ever locked for good. State is in memory, per node.
 */
@Component
class LoginThrottle {

    static final int PAIR_FREE_FAILURES = 5;

    static final int NETWORK_FREE_FAILURES = 30;

    static final int ACCOUNT_FREE_FAILURES = 20;

    static final Duration MAX_WAIT = Duration.ofMinutes(15);

    private static final Duration WINDOW = Duration.ofHours(1);

    private final Cache<String, Failures> byPair = failureCache();

    private final Cache<String, Failures> byNetwork = failureCache();

    private final Cache<String, Failures> byAccount = failureCache();

    private final Cache<String, Boolean> knownNetworks = Caffeine.newBuilder()
            .expireAfterWrite(Duration.ofDays(30)).maximumSize(500_000).build();

    private final Clock clock;

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this login attempt must wait, or empty when it may go ahead. */
    Optional<Duration> waitBefore(String email, String network) {
        Instant now = clock.instant();
        String account = normalise(email);
        Duration wait = max(waitFor(byPair.getIfPresent(account + "|" + network), PAIR_FREE_FAILURES, now),
                waitFor(byNetwork.getIfPresent(network), NETWORK_FREE_FAILURES, now));
        if (knownNetworks.getIfPresent(account + "|" + network) == null) {
            wait = max(wait, waitFor(byAccount.getIfPresent(account), ACCOUNT_FREE_FAILURES, now));
        }
        return wait.isPositive() ? Optional.of(wait) : Optional.empty();
    }

    void failed(String email, String network) {
        Instant now = clock.instant();
        String account = normalise(email);
        byPair.asMap().merge(account + "|" + network, Failures.first(now), (old, x) -> old.plusOne(now));
        byNetwork.asMap().merge(network, Failures.first(now), (old, x) -> old.plusOne(now));
        byAccount.asMap().merge(account, Failures.first(now), (old, x) -> old.plusOne(now));
    }

    void succeeded(String email, String network) {
        String account = normalise(email);
        byPair.invalidate(account + "|" + network);
        knownNetworks.put(account + "|" + network, Boolean.TRUE);
    }

    private static Duration waitFor(Failures failures, int freeFailures, Instant now) {
        if (failures == null || failures.count() < freeFailures) {
            return Duration.ZERO;
        }
        int excess = Math.min(failures.count() - freeFailures, 20);
        Duration wait = Duration.ofSeconds(1L << excess);
        if (wait.compareTo(MAX_WAIT) > 0) {
            wait = MAX_WAIT;
        }
        Duration remaining = Duration.between(now, failures.last().plus(wait));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String normalise(String email) {
        return email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
    }

    private static Cache<String, Failures> failureCache() {
        return Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(1_000_000).build();
    }

    private record Failures(int count, Instant last) {

        static Failures first(Instant now) {
            return new Failures(1, now);
        }

        Failures plusOne(Instant now) {
            return new Failures(count + 1, now);
        }
    }
}
