package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

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
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestDatabaseConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Limits that need small settings: the rate per key and the writer's queue (a database outage: DatabaseOutageTests). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "meshcp.embedded-postgres.enabled=false", "meshcp.telemetry.requests-per-second-per-key=2",
    "meshcp.telemetry.max-queued-events=3", "meshcp.telemetry.retry-after=1s"})
@Import({TelemetryLimitsTests.OwnDatabase.class, Fixtures.class})
class TelemetryLimitsTests {

    /** Other classes' tests send telemetry while this one locks a sums table: it has a database of its own. */
    static final TestDatabase DATABASE = TestDatabase.apart("telemetry_limits");

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    Streams streams;

    JdbcTemplate jdbc = DATABASE.ownerTemplate();

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    MeterRegistry meters;

    Http http;

    UUID tenantId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenantId = fixtures.tenant().id();
        streams.create(tenantId, new StreamRequest("limits", "Limits", StreamKind.LIVE, List.of(), null, false),
                Actor.SYSTEM);
    }

    @Test
    void aKeyOverItsRateGets429WithRetryAfterAndNothingStored() {
        String key = publishable();
        List<Integer> statuses = new ArrayList<>();
        Response limited = null;
        for (int i = 0; i < 8; i++) {
            Response response = http.post("/v1/telemetry?key=" + key, batch(1));
            statuses.add(response.status());
            if (response.status() == 429) {
                limited = response;
            }
        }

        assertThat(statuses).contains(200, 429);
        assertThat(limited.header("Retry-After")).isEqualTo("1");
        assertThat(limited.json().get("type").asString()).isEqualTo("urn:meshcp:problem:too-many-requests");
        assertThat(rawCount()).isEqualTo(statuses.stream().filter(s -> s == 200).count());
    }

    @Test
    void aSaturatedWriterAnswers503AtOnceAndFinishesWhatItTook() throws Exception {
        String key = publishable();
        CompletableFuture<Response> first;
        long started;
        Response refused;
        // A slow database: the writer's first commit waits on a lock this test holds.
        try (Connection blocker = jdbc.getDataSource().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("lock table telemetry_minute in exclusive mode");
            }
            first = CompletableFuture.supplyAsync(() -> http.post("/v1/telemetry?key=" + key, batch(3)));
            // Its three events fill the writer's queue, and stay there until the lock is released.
            Gauge queued = meters.get("meshcp.telemetry.queued.events").gauge();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                    .until(() -> queued.value() == 3);
            started = System.nanoTime();
            refused = http.post("/v1/telemetry?key=" + key, batch(1));
            blocker.rollback();
        }

        assertThat(refused.status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("answered at once, not after waiting")
                .isLessThan(Duration.ofMillis(500));
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:meshcp:problem:unavailable");
        Response accepted = first.get();
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.json().get("accepted").asInt()).isEqualTo(3);
        assertThat(rawCount()).isEqualTo(3);
    }

    private String publishable() {
        return apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null), Actor.SYSTEM).key();
    }

    private long rawCount() {
        return jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?", Long.class, tenantId);
    }

    private static String batch(int events) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add("""
                    {"eventId": "%s", "ts": "%s", "sessionId": "session-limits", "streamId": "limits", "cohort": "p2p",
                     "intervalMs": 10000, "cdnBytes": 1, "p2pBytesDown": 1, "p2pBytesUp": 0, "playMs": 10000,
                     "rebufferMs": 0}""".formatted(UUID.randomUUID(), Instant.now()));
        }
        return "{\"events\": [" + String.join(",", list) + "]}";
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnDatabase extends TestDatabaseConfiguration {

        @Override
        protected TestDatabase database() {
            return DATABASE;
        }
    }
}
