package io.meshcp.analytics;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.meshcp.shared.problems.RetryLaterException;

/**
 * Lets a bounded number of analytics queries hold a database connection at once, so that dashboards and API
 * clients asking for reports can never take the connections the telemetry writers commit with. A query waits
 * for its turn outside any transaction, and past {@code maxWait} answers 503 rather than queueing without end.
 */
final class QueryGate {

    private final Semaphore turns;

    private final Duration maxWait;

    QueryGate(int maxConcurrent, Duration maxWait) {
        this.turns = new Semaphore(maxConcurrent, true);
        this.maxWait = maxWait;
    }

    <T> T pass(Supplier<T> query) {
        boolean entered;
        try {
            entered = turns.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            entered = false;
        }
        if (!entered) {
            throw RetryLaterException.unavailable(Duration.ofSeconds(1),
                    "Too many analytics queries are running at once; ask again in a moment.");
        }
        try {
            return query.get();
        }
        finally {
            turns.release();
        }
    }
}
