package io.meshcp.shared.caching;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.meshcp.shared.DatabaseAvailability;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;

/**
 * Rows the request path reads on every request (keys, streams, policies), from memory. A value is read again
 * in the background once older than {@code refresh}, and never used older than {@code maxStaleness} while the
 * database answers. While it cannot be reached ({@link DatabaseAvailability}), the last value read is used,
 * however old, so players keep being served through an outage; a value never read answers 503 at once.
 */
public final class ReadThroughCache<K, V> {

    /** How long a value read once stays usable for an outage, counted from its last use. */
    private static final Duration KEPT_FOR_OUTAGES = Duration.ofHours(1);

    /**
     * Where reads in the background run. Each waits on the database, for up to the pool's timeout while it is away:
     * not on the JVM's common pool (Caffeine's default), which has a single thread on a two-core machine and would
     * hold up everything else that uses it. Virtual threads, since all they do is wait.
     */
    private static final Executor BACKGROUND_READS = Executors.newVirtualThreadPerTaskExecutor();

    private final LoadingCache<K, V> fresh;

    private final Cache<K, V> lastRead;

    private final DatabaseAvailability database;

    public ReadThroughCache(Function<K, V> loader, Duration refresh, Duration maxStaleness, long maximumSize,
            DatabaseAvailability database) {
        this(loader, refresh, maxStaleness, maximumSize, database, Ticker.systemTicker());
    }

    ReadThroughCache(Function<K, V> loader, Duration refresh, Duration maxStaleness, long maximumSize,
            DatabaseAvailability database, Ticker ticker) {
        this.database = database;
        this.lastRead = Caffeine.newBuilder().expireAfterAccess(KEPT_FOR_OUTAGES).maximumSize(maximumSize)
                .ticker(ticker).executor(BACKGROUND_READS).build();
        this.fresh = Caffeine.newBuilder().refreshAfterWrite(refresh).expireAfterWrite(maxStaleness)
                .maximumSize(maximumSize).ticker(ticker).executor(BACKGROUND_READS).recordStats()
                .build(key -> load(loader, key));
    }

    /**
     * The value for the key: from memory when fresh enough, otherwise read now, or while the database cannot be
     * reached the last value read.
     *
     * @throws RetryLaterException (503) when the database cannot be reached and this key was never read
     */
    public V get(K key) {
        V value = fresh.getIfPresent(key);
        if (value != null) {
            return value;
        }
        if (database.unreachable()) {
            if (database.claimProbe()) {
                fresh.refresh(key);
            }
            return lastReadOr503(key);
        }
        try {
            return fresh.get(key);
        }
        catch (RuntimeException e) {
            if (DatabaseAvailability.isConnectionFailure(e)) {
                return lastReadOr503(key);
            }
            throw e;
        }
    }

    public void invalidate(K key) {
        fresh.invalidate(key);
        lastRead.invalidate(key);
    }

    public void invalidateIf(Predicate<K> which) {
        fresh.asMap().keySet().removeIf(which);
        lastRead.asMap().keySet().removeIf(which);
    }

    /** Hits, misses and load times as {@code cache.*} meters tagged {@code cache=name}. */
    public void monitor(MeterRegistry meters, String name) {
        CaffeineCacheMetrics.monitor(meters, fresh, name);
    }

    private V load(Function<K, V> loader, K key) {
        try {
            V value = loader.apply(key);
            database.succeeded();
            lastRead.put(key, value);
            return value;
        }
        catch (RuntimeException e) {
            database.failed(e);
            throw e;
        }
    }

    private V lastReadOr503(K key) {
        V last = lastRead.getIfPresent(key);
        if (last == null) {
            throw DatabaseAvailability.unavailable();
        }
        return last;
    }
}
