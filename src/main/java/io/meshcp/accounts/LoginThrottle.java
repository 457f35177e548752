package io.meshcp.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

import io.meshcp.shared.limits.Tallies;
import org.springframework.stereotype.Component;

/**
 * Slows down password guessing without handing an attacker a way to lock the real user out.
 * <ul>
 * <li>per account and network: after a few failures, an exponentially growing wait;</li>
 * <li>per network across accounts: the same, with a higher threshold (credential stuffing);</li>
 * <li>per account across networks: the same, but not for networks where the account has logged in
 * before, so a distributed attack on one address does not keep its owner out.</li>
 * </ul>
 * A wait never exceeds {@link #MAX_WAIT}; nothing is ever locked for good. The failures are counted in
 * {@link Tallies}: with Redis, every node counts into the same tallies, so spreading attempts over the replicas
 * buys an attacker nothing.
 */
@Component
class LoginThrottle {

    static final int PAIR_FREE_FAILURES = 5;

    static final int NETWORK_FREE_FAILURES = 30;

    static final int ACCOUNT_FREE_FAILURES = 20;

    static final Duration MAX_WAIT = Duration.ofMinutes(15);

    /** How long failures are remembered after the last one. */
    private static final Duration WINDOW = Duration.ofHours(1);

    /** How long a network an account logged in from counts as its own. */
    private static final Duration KNOWN_NETWORK = Duration.ofDays(30);

    // The tallies' names: what is counted, then whose.
    private static final String PAIR = "login-failures:pair:";

    private static final String NETWORK = "login-failures:network:";

    private static final String ACCOUNT = "login-failures:account:";

    private static final String KNOWN = "login-known-network:";

    private final Tallies tallies;

    private final Clock clock;

    LoginThrottle(Tallies tallies, Clock clock) {
        this.tallies = tallies;
        this.clock = clock;
    }

    /** How long this login attempt must wait, or empty when it may go ahead. */
    Optional<Duration> waitBefore(String email, String network) {
        Instant now = clock.instant();
        String account = normalise(email);
        Duration wait = max(waitFor(tallies.get(pair(account, network)), PAIR_FREE_FAILURES, now),
                waitFor(tallies.get(NETWORK + network), NETWORK_FREE_FAILURES, now));
        if (tallies.get(KNOWN + account + "|" + network).isEmpty()) {
            wait = max(wait, waitFor(tallies.get(ACCOUNT + account), ACCOUNT_FREE_FAILURES, now));
        }
        return wait.isPositive() ? Optional.of(wait) : Optional.empty();
    }

    void failed(String email, String network) {
        Instant now = clock.instant();
        String account = normalise(email);
        tallies.add(pair(account, network), now, WINDOW);
        tallies.add(NETWORK + network, now, WINDOW);
        tallies.add(ACCOUNT + account, now, WINDOW);
    }

    void succeeded(String email, String network) {
        String account = normalise(email);
        tallies.forget(pair(account, network));
        tallies.add(KNOWN + account + "|" + network, clock.instant(), KNOWN_NETWORK);
    }

    private static Duration waitFor(Optional<Tallies.Tally> tally, int freeFailures, Instant now) {
        if (tally.isEmpty() || tally.get().count() < freeFailures) {
            return Duration.ZERO;
        }
        Tallies.Tally failures = tally.get();
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

    private static String pair(String account, String network) {
        return PAIR + account + "|" + network;
    }
}
