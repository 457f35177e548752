package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import com.zaxxer.hikari.HikariDataSource;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Limits that need small settings: the rate per key, the writer's queue, and a database outage. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "meshcp.embedded-postgres.enabled=false", "meshcp.telemetry.requests-per-second-per-key=2",
    "meshcp.telemetry.max-queued-events=3", "meshcp.telemetry.retry-after=1s",
    "spring.datasource.hikari.connection-timeout=1000"})
@Import({TestDatabaseConfiguration.class, Fixtures.class})
class TelemetryLimitsTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    Streams streams;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    HikariDataSource dataSource;

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
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement lock = blocker.createStatement()) {
                lock.execute("lock table telemetry_minute in exclusive mode");
            }
            first = CompletableFuture.supplyAsync(() -> http.post("/v1/telemetry?key=" + key, batch(3)));
            Thread.sleep(500);
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

    @Test
    void duringADatabaseOutageIngestAnswers503AndRecoversByItselfWithNothingAcknowledgedLost() throws Exception {
        String key = publishable();
        assertThat(http.post("/v1/telemetry?key=" + key, batch(2)).status()).isEqualTo(200);
        String database = jdbc.queryForObject("select current_database()", String.class);
        String outage = batch(2);
        try (Connection admin = DriverManager.getConnection(
                dataSource.getJdbcUrl().replaceFirst("/" + database + "(\\?|$)", "/postgres$1"),
                dataSource.getUsername(), dataSource.getPassword())) {
            try (Statement statement = admin.createStatement()) {
                statement.execute("alter database \"" + database + "\" allow_connections false");
                statement.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
                        + database + "' and pid <> pg_backend_pid()");
            }
            try {
                Response during = http.post("/v1/telemetry?key=" + key, outage);
                assertThat(during.status()).isEqualTo(503);
                assertThat(during.header("Retry-After")).isNotBlank();
                long started = System.nanoTime();
                Response next = http.post("/v1/telemetry?key=" + key, outage);
                assertThat(next.status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once while it is down")
                        .isLessThan(Duration.ofMillis(500));
                assertThat(http.get("/actuator/health/readiness").status())
                        .as("not ready: the load balancer sends players to other nodes").isEqualTo(503);
                assertThat(http.get("/actuator/health/liveness").status())
                        .as("but alive: restarting would not bring the database back").isEqualTo(200);
            }
            finally {
                try (Statement statement = admin.createStatement()) {
                    statement.execute("alter database \"" + database + "\" allow_connections true");
                }
            }
        }

        Response after = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            after = http.post("/v1/telemetry?key=" + key, outage);
            if (after.status() == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(after.status()).as("recovered without a restart").isEqualTo(200);
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(after.json().get("accepted").asInt()).isEqualTo(2);
        assertThat(rawCount()).as("the two acknowledged before the outage and the two resent after").isEqualTo(4);
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
}
