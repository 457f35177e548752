package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Replicas;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * What SIGTERM does to a node under ingest load: the JVM's shutdown hook closes the application context, as
 * this test does. Every event a player was told is stored must be in the database afterwards; the rest is
 * refused (503) or never answered, so players send it again elsewhere.
 */
class GracefulShutdownTests {

    @Test
    void aNodeStoppedUnderIngestLoadHasStoredEveryEventItAcknowledged() throws Exception {
        ConfigurableApplicationContext node = Replicas.startWithoutRedis(
                "--meshcp.telemetry.requests-per-second-per-key=100000");
        String id = UUID.randomUUID().toString().substring(0, 8);
        UUID tenantId = node.getBean(Accounts.class).signUp(new SignUp("Stopping " + id, "Ops", "ops-" + id
                + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
        node.getBean(Streams.class).create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(),
                null, false), Actor.SYSTEM);
        String key = node.getBean(ApiKeys.class).create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(),
                null), Actor.SYSTEM).key();
        Environment environment = node.getEnvironment();
        JdbcTemplate database = new JdbcTemplate(new DriverManagerDataSource(
                environment.getProperty("spring.datasource.url"), environment.getProperty("spring.datasource.username"),
                environment.getProperty("spring.datasource.password")));
        URI telemetry = URI.create("http://127.0.0.1:" + Replicas.httpPort(node) + "/v1/telemetry?key=" + key);

        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger refusedOrUnanswered = new AtomicInteger();
        AtomicBoolean stopping = new AtomicBoolean();
        ExecutorService players = Executors.newFixedThreadPool(6);
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < 6; p++) {
            running.add(players.submit(() -> send(telemetry, acknowledged, refusedOrUnanswered, stopping)));
        }
        Thread.sleep(1_500);
        stopping.set(true);
        long closing = System.nanoTime();
        node.close();
        assertThat(Duration.ofNanos(System.nanoTime() - closing)).as("within Kubernetes' default 30 s grace period")
                .isLessThan(Duration.ofSeconds(30));
        for (Future<?> player : running) {
            player.get();
        }
        players.shutdown();

        assertThat(acknowledged).as("events acknowledged before the stop").hasSizeGreaterThan(100);
        assertThat(refusedOrUnanswered).as("every player saw the node go").hasValueGreaterThanOrEqualTo(6);
        Set<UUID> stored = new HashSet<>(database.queryForList(
                "select event_id from telemetry_events where tenant_id = ?", UUID.class, tenantId));
        assertThat(stored).containsAll(acknowledged);
        assertThat(database.queryForObject("select sum(events) from telemetry_hour where tenant_id = ?", Long.class,
                tenantId)).as("the sums hold what the raw rows do").isEqualTo(stored.size());
    }

    /** Posts batches of 20 new events until the node, once stopping, stops answering them. */
    private static void send(URI telemetry, Set<UUID> acknowledged, AtomicInteger refusedOrUnanswered,
            AtomicBoolean stopping) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (true) {
                List<UUID> ids = new ArrayList<>();
                StringBuilder events = new StringBuilder();
                for (int i = 0; i < 20; i++) {
                    UUID eventId = UUID.randomUUID();
                    ids.add(eventId);
                    events.append(i == 0 ? "" : ",").append("""
                            {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "final",
                             "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": 3000,
                             "p2pBytesUp": 0, "playMs": 10000, "rebufferMs": 0}""".formatted(eventId, Instant.now(),
                            eventId.toString().substring(0, 8)));
                }
                HttpRequest request = HttpRequest.newBuilder(telemetry).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"events\": [" + events + "]}")).build();
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                        assertThat(response.body()).contains("\"accepted\":20");
                        acknowledged.addAll(ids);
                        continue;
                    }
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
                }
                catch (IOException e) {
                    // Closed or refused by the stopping node: not acknowledged, so the player sends it again.
                }
                refusedOrUnanswered.incrementAndGet();
                if (stopping.get()) {
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
