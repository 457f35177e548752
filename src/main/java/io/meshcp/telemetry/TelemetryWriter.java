package io.meshcp.telemetry;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.problems.RetryLaterException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Group commit: requests hand their events to the writer threads; each takes whatever has queued up,
 * stores it in one transaction and then tells each request how many of its events were new. A request
 * is answered only after that commit, so an acknowledged event is durable. Two writers overlap one
 * group's raw rows with the other's sums (those they wait for each other on, in a fixed key order, so
 * they never deadlock). When the queue is full, or the database failed a moment ago, requests are
 * refused at once (503) instead of piling up.
 */
@Component
class TelemetryWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TelemetryWriter.class);

    private static final int MAX_ATTEMPTS = 3;

    private final TelemetryStore store;

    private final TelemetryPartitions partitions;

    private final TelemetryProperties properties;

    private final Clock clock;

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    private final AtomicInteger queuedEvents = new AtomicInteger();

    private final Counter stored;

    private final Counter refusals;

    private final Timer commits;

    private final DatabaseAvailability database;

    private volatile long unavailableUntilMillis;

    private volatile boolean accepting;

    private final List<Thread> threads = new ArrayList<>();

    TelemetryWriter(TelemetryStore store, TelemetryPartitions partitions, TelemetryProperties properties, Clock clock,
            MeterRegistry meters, DatabaseAvailability database) {
        this.store = store;
        this.database = database;
        this.partitions = partitions;
        this.properties = properties;
        this.clock = clock;
        meters.gauge("meshcp.telemetry.queued.events", queuedEvents);
        this.stored = meters.counter("meshcp.telemetry.events.stored");
        this.refusals = meters.counter("meshcp.telemetry.refusals", "reason", "unavailable");
        this.commits = meters.timer("meshcp.telemetry.commits");
    }

    /**
     * Queues one request's events; the future completes with how many were new once they are committed.
     *
     * @throws RetryLaterException (503) when the writer is saturated, stopping, or the database is down
     */
    CompletableFuture<Integer> submit(UUID tenantId, List<Heartbeat> events) {
        if (!accepting) {
            throw unavailable("This node is shutting down; send the batch again.");
        }
        // The caches' probes find out when the database is back (DatabaseAvailability).
        if (clock.millis() < unavailableUntilMillis || database.unreachable()) {
            throw unavailable("Telemetry storage is unavailable; send the batch again.");
        }
        if (queuedEvents.addAndGet(events.size()) > properties.maxQueuedEvents()) {
            queuedEvents.addAndGet(-events.size());
            throw unavailable("Telemetry ingest is saturated; send the batch again.");
        }
        Pending pending = new Pending(new TelemetryStore.Batch(tenantId, events), new CompletableFuture<>());
        queue.add(pending);
        // stop() may have come between the check above and the add, and its writers may have found the queue empty
        // and left: nothing would ever answer this batch, and its request would hold the shutdown for the commit
        // timeout. Taken back, it is refused now; if a writer took it first, that writer commits and answers it.
        if (!accepting && queue.remove(pending)) {
            queuedEvents.addAndGet(-events.size());
            throw unavailable("This node is shutting down; send the batch again.");
        }
        return pending.done();
    }

    private RetryLaterException unavailable(String message) {
        refusals.increment();
        return RetryLaterException.unavailable(properties.retryAfter(), message);
    }

    private void run() {
        while (accepting || !queue.isEmpty()) {
            List<Pending> group = new ArrayList<>();
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                int events = first.batch().events().size();
                Pending next;
                while (events < properties.maxEventsPerCommit() && (next = queue.poll()) != null) {
                    group.add(next);
                    events += next.batch().events().size();
                }
                commit(group, events);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                group.forEach(p -> p.done().completeExceptionally(unavailable("Interrupted; send the batch again.")));
                return;
            }
        }
    }

    private void commit(List<Pending> group, int events) {
        try {
            int[] accepted = commits.recordCallable(() -> writeRetryingConflicts(group));
            database.succeeded();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(accepted[i]);
                stored.increment(accepted[i]);
            }
        }
        catch (Exception e) {
            database.failed(e);
            // Nothing of the group was committed; every request in it answers 503 and its client resends.
            log.warn("Could not store {} telemetry events; refusing batches for {}: {}", events,
                    properties.retryAfter(), e.getMessage());
            unavailableUntilMillis = clock.millis() + properties.retryAfter().toMillis();
            group.forEach(p -> p.done().completeExceptionally(unavailable(
                    "Telemetry storage is unavailable; send the batch again.")));
        }
        finally {
            queuedEvents.addAndGet(-events);
        }
    }

    /**
     * Nodes writing the same sums or sessions can deadlock now and then (PostgreSQL then aborts one);
     * that group is simply written again. Only other failures mean the database is unavailable.
     */
    private int[] writeRetryingConflicts(List<Pending> group) {
        List<TelemetryStore.Batch> batches = group.stream().map(Pending::batch).toList();
        for (int attempt = 1;; attempt++) {
            try {
                return store.write(batches);
            }
            catch (TransientDataAccessException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw e;
                }
                log.debug("Telemetry group conflicted with another writer (attempt {}): {}", attempt, e.getMessage());
            }
        }
    }

    Duration commitTimeout() {
        return properties.commitTimeout();
    }

    @Override
    public void start() {
        // Events are accepted up to maxEventAge back and maxClockSkew ahead: their partitions must exist first.
        partitions.maintain();
        accepting = true;
        for (int i = 0; i < properties.writers(); i++) {
            threads.add(Thread.ofPlatform().name("telemetry-writer-" + i).daemon().start(this::run));
        }
    }

    /** Stops taking batches and commits what is queued, so no acknowledged request is left unwritten. */
    @Override
    public void stop() {
        accepting = false;
        long deadline = System.nanoTime() + properties.commitTimeout().toNanos();
        try {
            for (Thread thread : threads) {
                thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        threads.clear();
    }

    @Override
    public boolean isRunning() {
        return !threads.isEmpty();
    }

    private record Pending(TelemetryStore.Batch batch, CompletableFuture<Integer> done) {
    }
}
