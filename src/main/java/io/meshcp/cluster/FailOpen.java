package io.meshcp.cluster;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Asks Redis with a deadline, and this node's own state when Redis does not answer in time: for state that protects
 * the system (rate limits, login throttling), where refusing everyone because the store is down would be the
 * outage the protection is meant to prevent. After a failure the node answers from its own state for {@link #RETRY},
 * then one call tries Redis again while the others go on without waiting for it.
 */
final class FailOpen {

    // Redis answers in well under a millisecond; a node kept waiting longer serves its callers better on its own.
    static final Duration DEADLINE = Duration.ofMillis(250);

    static final Duration RETRY = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(FailOpen.class);

    /** What is shared, for the log: "Rate limits", "Login throttling". */
    private final String what;

    /** {@link System#nanoTime()} from which Redis may be tried again; {@code Long.MIN_VALUE} while it answers. */
    private final AtomicLong retryAt = new AtomicLong(Long.MIN_VALUE);

    FailOpen(String what) {
        this.what = what;
    }

    /** Redis's answer, or {@code local}'s while Redis is down or late; an empty answer from Redis is null. */
    <T> T call(Supplier<Mono<T>> redis, Supplier<T> local) {
        long now = System.nanoTime();
        long retry = retryAt.get();
        boolean wasDown = retry != Long.MIN_VALUE;
        if (wasDown && (now - retry < 0 || !retryAt.compareAndSet(retry, now + RETRY.toNanos()))) {
            return local.get();
        }
        try {
            T answer = redis.get().timeout(DEADLINE).block();
            if (wasDown) {
                retryAt.set(Long.MIN_VALUE);
                log.info("{} shared through Redis again", what);
            }
            return answer;
        }
        catch (RuntimeException e) {
            retryAt.set(now + RETRY.toNanos());
            if (!wasDown) {
                log.warn("Redis did not answer; {} on this node alone, trying Redis again every {} s: {}", what,
                        RETRY.toSeconds(), e.toString());
            }
            return local.get();
        }
    }
}
