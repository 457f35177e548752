package io.meshcp.shared;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import io.meshcp.shared.problems.RetryLaterException;
import org.springframework.stereotype.Component;

/**
 * Whether this node can reach PostgreSQL, as last seen by the code that serves players: the caches of keys,
 * streams and policies, and the telemetry writer. While it cannot, caches answer from what they read before
 * instead of waiting on the connection pool (3 s a request, on a tracker event loop too), and one probe at a
 * time finds out when the database is back.
 */
@Component
public class DatabaseAvailability {

    private static final String HIKARI_CLOSED = "Connection is closed";

    private static final long PROBE_INTERVAL_NANOS = Duration.ofMillis(500).toNanos();

    private volatile boolean unreachable;

    private final AtomicLong nextProbe = new AtomicLong(System.nanoTime());

    public boolean unreachable() {
        return unreachable;
    }

    /** Records a failure; only one that says the database cannot be reached (not a bad statement) counts. */
    public void failed(Throwable failure) {
        if (isConnectionFailure(failure)) {
            unreachable = true;
            // The next probe one interval after this failure, not after the last probe began: a probe that waited
            // out the pool would otherwise let the very next request probe (and wait) again.
            nextProbe.set(System.nanoTime() + PROBE_INTERVAL_NANOS);
        }
    }

    public void succeeded() {
        unreachable = false;
    }

    /** True for at most one caller every 500 ms: the one that may try the database while it is unreachable. */
    public boolean claimProbe() {
        long now = System.nanoTime();
        long next = nextProbe.get();
        return now - next >= 0 && nextProbe.compareAndSet(next, now + PROBE_INTERVAL_NANOS);
    }

    /** The 503 for a request that needs the database while it cannot be reached. */
    public static RetryLaterException unavailable() {
        return RetryLaterException.unavailable(Duration.ofSeconds(2),
                "The database cannot be reached at the moment; send the request again.");
    }

    /**
     * No connection (the pool timed out, the server refused or closed it) as opposed to a statement that failed.
     * SQLSTATE class 08 is "connection exception"; 57P01-57P03 are the server shutting down or starting. Suppressed
     * exceptions count too: a rollback that fails on the dead connection hides the failure behind "connection is
     * closed" and keeps the original only as suppressed.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        return isConnectionFailure(failure, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private static boolean isConnectionFailure(Throwable failure, Set<Throwable> seen) {
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            // HikariCP's answer on a connection it already evicted as broken, with no SQLSTATE: what a rollback on
            // a connection the server dropped gets, with the original failure no longer attached.
            if (cause instanceof SQLException sql && sql.getSQLState() == null
                    && HIKARI_CLOSED.equals(sql.getMessage())) {
                return true;
            }
            for (Throwable suppressed : cause.getSuppressed()) {
                if (isConnectionFailure(suppressed, seen)) {
                    return true;
                }
            }
        }
        return false;
    }
}
