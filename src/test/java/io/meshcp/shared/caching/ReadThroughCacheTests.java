package io.meshcp.shared.caching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.problems.RetryLaterException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

/** Keys, streams and policies through a database outage: the last value read, never a wait on the pool. */
class ReadThroughCacheTests {

    final AtomicLong nanos = new AtomicLong(1);

    final Map<String, String> rows = new ConcurrentHashMap<>(Map.of("a", "a1", "b", "b1"));

    final AtomicInteger reads = new AtomicInteger();

    final List<Thread> readThreads = new CopyOnWriteArrayList<>();

    volatile RuntimeException failure;

    final DatabaseAvailability database = new DatabaseAvailability();

    final ReadThroughCache<String, String> cache = new ReadThroughCache<>(this::read, Duration.ofMillis(500),
            Duration.ofMillis(1500), 100, database, nanos::get);

    @Test
    void whileTheDatabaseIsUnreachableTheLastValueReadIsServedHoweverOld() {
        assertThat(cache.get("a")).isEqualTo("a1");
        failure = unreachable();
        rows.put("a", "a2");
        advance(Duration.ofSeconds(2));

        assertThat(cache.get("a")).as("the pool failed: the last value read").isEqualTo("a1");
        assertThat(database.unreachable()).isTrue();
        int readsSoFar = reads.get();
        advance(Duration.ofMinutes(10));
        assertThat(cache.get("a")).isEqualTo("a1");
        assertThat(reads.get()).as("known to be unreachable: nobody waits on the pool").isLessThanOrEqualTo(readsSoFar + 1);
    }

    @Test
    void aValueNeverReadAnswers503AtOnceWhileTheDatabaseIsUnreachable() {
        failure = unreachable();

        assertThatThrownBy(() -> cache.get("b")).isInstanceOf(RetryLaterException.class);
        assertThatThrownBy(() -> cache.get("b")).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.overRate()).isFalse());
    }

    @Test
    void whenTheDatabaseIsBackAProbeReadsItAndFreshValuesFollow() {
        assertThat(cache.get("a")).isEqualTo("a1");
        failure = unreachable();
        advance(Duration.ofSeconds(2));
        assertThat(cache.get("a")).isEqualTo("a1");

        failure = null;
        rows.put("a", "a2");
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cache.get("a")).isEqualTo("a2"));
        assertThat(database.unreachable()).isFalse();
    }

    @Test
    void backgroundReadsWaitOnTheirOwnThreadsNotOnTheCommonPool() {
        assertThat(cache.get("a")).isEqualTo("a1");
        rows.put("a", "a2");
        advance(Duration.ofMillis(600));
        cache.get("a");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(cache.get("a")).isEqualTo("a2"));
        assertThat(readThreads).last().satisfies(thread -> {
            assertThat(thread.isVirtual()).as("a virtual thread").isTrue();
            assertThat(thread.getName()).doesNotContain("ForkJoinPool.commonPool");
        });
    }

    @Test
    void aFailedStatementIsNotAnOutage() {
        failure = new DataIntegrityViolationException("bad row");

        assertThatThrownBy(() -> cache.get("a")).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(database.unreachable()).isFalse();
    }

    @Test
    void anInvalidatedValueIsNotServedThroughAnOutage() {
        assertThat(cache.get("a")).isEqualTo("a1");
        cache.invalidate("a");
        failure = unreachable();

        assertThatThrownBy(() -> cache.get("a")).isInstanceOf(RetryLaterException.class);
    }

    @Test
    void whileTheDatabaseAnswersNoValueIsUsedOlderThanTheStalenessBound() {
        assertThat(cache.get("a")).isEqualTo("a1");
        rows.put("a", "a2");
        advance(Duration.ofSeconds(2));

        assertThat(cache.get("a")).isEqualTo("a2");
    }

    private String read(String key) {
        reads.incrementAndGet();
        readThreads.add(Thread.currentThread());
        RuntimeException failing = failure;
        if (failing != null) {
            throw failing;
        }
        return rows.get(key);
    }

    private static RuntimeException unreachable() {
        return new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLTransientConnectionException("Connection is not available, request timed out after 3000ms"));
    }

    private void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
