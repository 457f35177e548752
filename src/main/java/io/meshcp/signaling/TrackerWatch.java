package io.meshcp.signaling;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.meshcp.apikeys.ApiKeyChanged;
import io.meshcp.policies.PolicyChanged;
import io.meshcp.streams.StreamChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Keeps connected peers told of what changed for them: the kill switch, the policy, the stream, their key.
 * A change committed on this node, or announced by another through Redis, is looked at at once; every half second
 * all streams with peers here are looked at again, which catches what no event announces (a live event's window
 * opening, a change on another node without Redis, seen when this node's cache refreshes). So a connected peer
 * hears of a kill switch within the policy cache's bound (1.5 s) plus half a second, without Redis, and within
 * milliseconds with it. The work runs on one thread of its own: looking up a policy the cache lost may wait on the
 * database, which an event loop must never do.
 */
@Component
class TrackerWatch implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrackerWatch.class);

    static final long RECHECK_MILLIS = 500;

    private static final long REMOTE_PARTNERS_SECONDS = 5;

    private final Tracker tracker;

    private volatile ScheduledExecutorService executor;

    TrackerWatch(Tracker tracker) {
        this.tracker = tracker;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(PolicyChanged change) {
        run(() -> tracker.recheck(change.tenantId(), change.streamId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(StreamChanged change) {
        run(() -> tracker.recheck(change.tenantId(), change.streamId()));
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void on(ApiKeyChanged change) {
        run(() -> tracker.recheckKey(change.keyHash()));
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "signaling-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(guarded(tracker::recheck), RECHECK_MILLIS, RECHECK_MILLIS,
                TimeUnit.MILLISECONDS);
        executor.scheduleWithFixedDelay(guarded(tracker::forgetRemotePartnersGone), REMOTE_PARTNERS_SECONDS,
                REMOTE_PARTNERS_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running = executor;
        if (running != null) {
            running.shutdownNow();
            executor = null;
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    private void run(Runnable work) {
        ScheduledExecutorService running = executor;
        if (running != null) {
            try {
                running.execute(guarded(work));
            }
            catch (RejectedExecutionException e) {
                // Shutting down: the sockets are being closed anyway.
            }
        }
    }

    // One failed look must not end the schedule (a scheduled task that throws is never run again).
    private static Runnable guarded(Runnable work) {
        return () -> {
            try {
                work.run();
            }
            catch (RuntimeException e) {
                log.warn("Could not recheck connected peers; trying again shortly: {}", e.toString());
            }
        };
    }
}
