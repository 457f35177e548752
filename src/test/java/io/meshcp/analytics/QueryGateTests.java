package io.meshcp.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.meshcp.shared.problems.RetryLaterException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Reports take at most their share of the database connections, whoever asks for them. */
class QueryGateTests {

    final QueryGate gate = new QueryGate(2, Duration.ofMillis(200));

    final ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopClients() {
        clients.shutdownNow();
    }

    @Test
    void pastItsLimitAQueryWaitsItsTurnThenAnswers503() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<?> first = CompletableFuture.runAsync(() -> gate.pass(() -> hold(running, finish)), clients);
        CompletableFuture<?> second = CompletableFuture.runAsync(() -> gate.pass(() -> hold(running, finish)), clients);
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        assertThatThrownBy(() -> gate.pass(() -> "third")).isInstanceOfSatisfying(RetryLaterException.class,
                e -> assertThat(e.overRate()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(150),
                Duration.ofSeconds(2));

        finish.countDown();
        first.get(5, TimeUnit.SECONDS);
        second.get(5, TimeUnit.SECONDS);
        assertThat(gate.pass(() -> "after")).as("turns are given back, also by queries that failed").isEqualTo("after");
    }

    @Test
    void aFailingQueryGivesItsTurnBack() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> gate.pass(() -> {
                throw new IllegalStateException("bad query");
            })).isInstanceOf(IllegalStateException.class);
        }

        assertThat(gate.pass(() -> "ok")).isEqualTo("ok");
    }

    private static String hold(CountDownLatch running, CountDownLatch finish) {
        running.countDown();
        try {
            finish.await(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "held";
    }
}
