package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.sql.DataSource;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.Replicas;
import io.meshcp.support.TestDatabase;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What SIGTERM does to a node under ingest load: the JVM's shutdown hook closes the application context, as
 * this test does. Batches the node took before the close are committed and answered 200; what comes after is
 * refused (503) or never answered, so players send it again elsewhere; every event a player was told is stored
 * is in the database afterwards.
 */
class GracefulShutdownTests {

    /** Other classes' tests send telemetry while this one locks a sums table: it has a database of its own. */
    static final TestDatabase DATABASE = TestDatabase.apart("shutdown");

    private static final int PLAYERS = 6;

    private static final int EVENTS_PER_BATCH = 20;

    /** Above the node's max-queued-events, so a probe is refused without ever being queued. */
    private static final int PROBE_EVENTS = 500;

    private static final int NO_ANSWER = -1;

    @Test
    void aNodeStoppedUnderIngestLoadFinishesWhatItTookAndRefusesTheRest() throws Exception {
        ConfigurableApplicationContext node = Replicas.startWithoutRedis(DATABASE,
                "--meshcp.telemetry.requests-per-second-per-key=100000",
                // Room for every player's batch (120 events), never for a probe (500).
                "--meshcp.telemetry.max-queued-events=400");
        String id = UUID.randomUUID().toString().substring(0, 8);
        UUID tenantId = node.getBean(Accounts.class).signUp(new SignUp("Stopping " + id, "Ops", "ops-" + id
                + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
        node.getBean(Streams.class).create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(),
                null, false), Actor.SYSTEM);
        String key = node.getBean(ApiKeys.class).create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(),
                null), Actor.SYSTEM).key();
        // As the owner: the test's lock and counts are not the application's to take.
        JdbcTemplate database = DATABASE.ownerTemplate();
        DataSource dataSource = database.getDataSource();
        Gauge queuedEvents = node.getBean(MeterRegistry.class).get("meshcp.telemetry.queued.events").gauge();
        String path = "/v1/telemetry?key=" + key;
        Http http = new Http(Replicas.httpPort(node));
        URI telemetry = URI.create("http://127.0.0.1:" + Replicas.httpPort(node) + path);

        Queue<Sent> sent = new ConcurrentLinkedQueue<>();
        AtomicBoolean stopping = new AtomicBoolean();
        ExecutorService players = Executors.newFixedThreadPool(PLAYERS);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < PLAYERS; p++) {
            running.add(players.submit(() -> play(telemetry, sent, stopping)));
        }
        // Under load: the node has taken and answered players' batches for a while before the database slows down.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> acknowledged(sent).size() > 100);

        ExecutorService closer = Executors.newSingleThreadExecutor();
        Future<?> closed;
        long closing;
        long refusing;
        // A slow database: every commit waits on a lock this test holds, so each player's last batch, taken by the
        // writer, is still in flight when the node begins to close.
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("lock table telemetry_minute in exclusive mode");
            }
            awaitQueued(queuedEvents, PLAYERS * EVENTS_PER_BATCH);
            stopping.set(true);
            closing = System.nanoTime();
            closed = closer.submit(node::close);
            refusing = awaitRefusalForShutdown(http, path);
            blocker.rollback();
        }
        closed.get(60, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("within Kubernetes' default 30 s grace period")
                .isLessThan(Duration.ofSeconds(30));
        for (Future<?> player : running) {
            player.get();
        }
        players.shutdown();
        closer.shutdown();

        Set<UUID> stored = new HashSet<>(database.queryForList(
                "select event_id from telemetry_events where tenant_id = ?", UUID.class, tenantId));
        assertThat(sent.stream().filter(batch -> batch.sentNanos() < closing).map(Sent::status))
                .as("answers to batches sent before the close, the last of each player's still in flight when it began")
                .containsOnly(200);
        Set<UUID> acknowledged = acknowledged(sent);
        assertThat(acknowledged).as("events acknowledged before the stop").hasSizeGreaterThan(100);
        assertThat(stored).containsAll(acknowledged);
        List<Sent> late = sent.stream().filter(batch -> batch.sentNanos() > refusing).toList();
        assertThat(late).as("each player sent again once its batch in flight was answered")
                .hasSizeGreaterThanOrEqualTo(PLAYERS);
        assertThat(late.stream().map(Sent::status)).as("answers to batches sent once the node refused them")
                .doesNotContain(200);
        assertThat(stored).doesNotContainAnyElementsOf(late.stream().flatMap(batch -> batch.ids().stream()).toList());
        assertThat(database.queryForObject("select sum(events) from telemetry_hour where tenant_id = ?", Long.class,
                tenantId)).as("the sums hold what the raw rows do").isEqualTo(stored.size());
    }

    /** The events of every batch answered 200 so far. */
    private static Set<UUID> acknowledged(Queue<Sent> sent) {
        return sent.stream().filter(batch -> batch.status() == 200).flatMap(batch -> batch.ids().stream())
                .collect(Collectors.toSet());
    }

    /** Waits until the writer holds {@code events}: the batch each player is waiting on. */
    private static void awaitQueued(Gauge queuedEvents, int events) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> assertThat(
                queuedEvents.value()).as("events taken by the writer, waiting on the lock").isEqualTo(events));
    }

    /**
     * Sends probes until one is refused because the node is shutting down, and returns when it was answered. A probe
     * is too big for the writer's queue: while the writer still takes batches it is refused as saturated instead of
     * being queued behind the lock.
     */
    private static long awaitRefusalForShutdown(Http http, String path) {
        String probe = batch(newIds(PROBE_EVENTS));
        AtomicLong answered = new AtomicLong();
        await("the closing node stops taking batches").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20)).until(() -> {
                    Response response = http.post(path, probe);
                    assertThat(response.status()).as(response.body()).isEqualTo(503);
                    answered.set(System.nanoTime());
                    return response.json().get("detail").asString().contains("shutting down");
                });
        return answered.get();
    }

    /** Posts batches of new events until the node, once stopping, no longer takes them. */
    private static void play(URI telemetry, Queue<Sent> sent, AtomicBoolean stopping) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                List<UUID> ids = newIds(EVENTS_PER_BATCH);
                HttpRequest request = HttpRequest.newBuilder(telemetry).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(batch(ids))).build();
                long sentNanos = System.nanoTime();
                int status;
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    if (status == 200) {
                        assertThat(response.body()).contains("\"accepted\":" + EVENTS_PER_BATCH);
                    }
                    else {
                        assertThat(status).as(response.body()).isEqualTo(503);
                    }
                }
                catch (IOException e) {
                    // Closed or refused by the stopping node: not acknowledged, so the player sends it again.
                    status = NO_ANSWER;
                }
                sent.add(new Sent(sentNanos, ids, status));
                if (status != 200 && stopping.get()) {
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<UUID> newIds(int count) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(UUID.randomUUID());
        }
        return ids;
    }

    private static String batch(List<UUID> ids) {
        StringBuilder events = new StringBuilder();
        for (UUID eventId : ids) {
            events.append(events.isEmpty() ? "" : ",").append("""
                    {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "final",
                     "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": 3000,
                     "p2pBytesUp": 0, "playMs": 10000, "rebufferMs": 0}""".formatted(eventId, Instant.now(),
                    eventId.toString().substring(0, 8)));
        }
        return "{\"events\": [" + events + "]}";
    }

    /** One batch a player sent: when, its events, and the status it got ({@link #NO_ANSWER} when none). */
    private record Sent(long sentNanos, List<UUID> ids, int status) {
    }
}
