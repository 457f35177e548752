package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.meshcp.shared.DatabaseAvailability;
import io.meshcp.shared.problems.RetryLaterException;
import io.meshcp.support.IntegrationTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The writer on its own, for what no HTTP request can time: a batch arriving while the writer stops. A writer of
 * its own (not the application's), so stopping it leaves ingest running for the other tests.
 */
@IntegrationTest
class TelemetryWriterTests {

    @Autowired
    TelemetryStore store;

    @Autowired
    TelemetryPartitions partitions;

    @Autowired
    TelemetryProperties properties;

    @Autowired
    DatabaseAvailability database;

    @Test
    void aBatchArrivingAsTheWriterStopsIsRefusedAtOnceNotLeftWaiting() throws Exception {
        // submit reads the clock after it has found the writer accepting and before it queues the batch; a clock that
        // waits there lets the writer stop in between, every time rather than once in many runs.
        PausingClock clock = new PausingClock();
        TelemetryWriter writer = new TelemetryWriter(store, partitions, properties, clock, new SimpleMeterRegistry(),
                database);
        writer.start();
        CompletableFuture<Integer> answered = CompletableFuture
                .supplyAsync(() -> writer.submit(UUID.randomUUID(), List.of(heartbeat())))
                .thenCompose(committed -> committed);
        assertThat(clock.entered.await(10, TimeUnit.SECONDS)).as("submit reached the clock").isTrue();

        writer.stop();
        clock.release.countDown();

        // Not after the commit timeout (10 s), which is how long the request would otherwise wait before its 503.
        Throwable failure = catchThrowable(() -> answered.get(2, TimeUnit.SECONDS));
        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(RetryLaterException.class)
                .hasMessageContaining("shutting down");
        assertThat(((RetryLaterException) failure.getCause()).overRate()).as("503, not 429").isFalse();
    }

    private static Heartbeat heartbeat() {
        return new Heartbeat(UUID.randomUUID(), Instant.now(), "session-stopping", UUID.randomUUID(), null, "p2p",
                10_000, 1, 1, 0, 0, 10_000, 0, null, null, null, null, null, null, null, null, List.of(), null);
    }

    /** The system clock, except that reading it waits until the test releases it. */
    private static final class PausingClock extends Clock {

        final CountDownLatch entered = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Instant instant() {
            entered.countDown();
            try {
                release.await();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
