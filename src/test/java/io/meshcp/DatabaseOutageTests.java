package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.Actor;
import io.meshcp.signaling.PeerClient;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.DatabaseOutage;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL goes away under a running node for longer than any cache keeps a value fresh. Players keep being
 * served from what the node read before (client configuration, the tracker), telemetry is refused at once with
 * 503 so players resend it, the node leaves the load balancer but stays alive, and all of it comes back
 * without a restart, with nothing acknowledged lost.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "meshcp.embedded-postgres.enabled=false", "meshcp.telemetry.retry-after=1s",
    "spring.datasource.hikari.connection-timeout=1000"})
@Import({TestDatabaseConfiguration.class, Fixtures.class})
class DatabaseOutageTests {

    static final String INFO_HASH = "outage-info-hash-001";

    /** Longer than every cache's staleness bound (keys 5 s; streams and policies 1.5 s). */
    static final Duration PAST_EVERY_CACHE = Duration.ofSeconds(6);

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
    HikariDataSource dataSource;

    @Test
    void playersAreServedFromWhatWasReadTelemetryIsRefusedAtOnceAndAllComesBackByItself() throws Exception {
        Http http = new Http(port);
        UUID tenantId = fixtures.tenant().id();
        streams.create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(), null, false),
                Actor.SYSTEM);
        String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null), Actor.SYSTEM)
                .key();
        JsonNode before = p2pConfig(http, key);
        URI tracker = URI.create(before.get("signaling").get("url").asString());
        assertThat(http.post("/v1/telemetry?key=" + key, batch(2)).status()).isEqualTo(200);
        String unacknowledged = batch(2);

        try (PeerClient alice = PeerClient.connect(tracker.getPort(), before.get("signaling").get("token").asString())) {
            alice.send(announce(peer("alice"), 0));
            assertThat(alice.next()).isNotNull();

            DatabaseOutage outage = DatabaseOutage.begin(dataSource);
            try {
                Thread.sleep(PAST_EVERY_CACHE.toMillis());

                Response first = http.post("/v1/telemetry?key=" + key, unacknowledged);
                assertThat(first.status()).isEqualTo(503);
                assertThat(first.header("Retry-After")).isNotBlank();
                long started = System.nanoTime();
                Response next = http.post("/v1/telemetry?key=" + key, unacknowledged);
                assertThat(next.status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once while it is down")
                        .isLessThan(Duration.ofMillis(500));

                JsonNode during = p2pConfig(http, key);
                assertThat(during.get("p2p").get("enabled").asBoolean()).isTrue();
                try (PeerClient bob = PeerClient.connect(tracker.getPort(),
                        during.get("signaling").get("token").asString())) {
                    bob.send(announce(peer("bob"), 2));
                    JsonNode reply = bob.next();
                    assertThat(reply).as("the tracker answers from the policies it read").isNotNull();
                    assertThat(reply.get("incomplete").asInt()).isEqualTo(2);
                    assertThat(alice.nextWith("offer").get("peer_id").asString()).isEqualTo(peer("bob"));
                }

                assertThat(http.get("/actuator/health/readiness").status())
                        .as("not ready: the load balancer sends new players to other nodes").isEqualTo(503);
                assertThat(http.get("/actuator/health/liveness").status())
                        .as("but alive: restarting would not bring the database back").isEqualTo(200);
            }
            finally {
                outage.close();
            }

            Response after = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < deadline) {
                after = http.post("/v1/telemetry?key=" + key, unacknowledged);
                if (after.status() == 200) {
                    break;
                }
                Thread.sleep(250);
            }
            assertThat(after.status()).as("recovered without a restart").isEqualTo(200);
            assertThat(after.json().get("accepted").asInt()).isEqualTo(2);
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            assertThat(jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?", Long.class,
                    tenantId)).as("the two acknowledged before the outage and the two resent after").isEqualTo(4);
        }
    }

    /** A client configuration in the p2p cohort (the holdout gets no signaling token). */
    private static JsonNode p2pConfig(Http http, String key) {
        for (int i = 0; i < 100; i++) {
            Response response = http.get("/v1/client-config?key=" + key + "&stream=final&session=outage-session-" + i);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode body = response.json();
            if (body.get("signaling").isObject()) {
                return body;
            }
        }
        throw new AssertionError("no session in the p2p cohort");
    }

    private static String batch(int events) {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            list.add("""
                    {"eventId": "%s", "ts": "%s", "sessionId": "session-outage", "streamId": "final", "cohort": "p2p",
                     "intervalMs": 10000, "cdnBytes": 1, "p2pBytesDown": 1, "p2pBytesUp": 0, "playMs": 10000,
                     "rebufferMs": 0}""".formatted(UUID.randomUUID(), Instant.now()));
        }
        return "{\"events\": [" + String.join(",", list) + "]}";
    }

    private static String peer(String name) {
        return String.format("%-20.20s", "-MC0001-" + name).replace(' ', '0');
    }

    private static String announce(String peerId, int offers) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < offers; i++) {
            list.append(i == 0 ? "" : ",").append("{\"offer_id\": \"").append(peerId).append("-o").append(i)
                    .append("\", \"offer\": {\"type\": \"offer\", \"sdp\": \"v=0 offer\"}}");
        }
        return "{\"action\": \"announce\", \"info_hash\": \"" + INFO_HASH + "\", \"peer_id\": \"" + peerId
                + "\", \"numwant\": " + offers + ", \"offers\": [" + list + "]}";
    }
}
