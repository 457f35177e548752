package io.meshcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.zaxxer.hikari.HikariDataSource;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.signaling.PeerClient;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.DatabaseOutage;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
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
    "spring.datasource.hikari.connection-timeout=1000",
    // Caches that go stale soon (the defaults: keys 5 s, streams and policies 1.5 s), so the outage outlasts them
    // without a long wait.
    "meshcp.api-keys.cache-refresh=100ms", "meshcp.api-keys.cache-max-staleness=" + DatabaseOutageTests.STALENESS,
    "meshcp.policies.cache-refresh=100ms", "meshcp.policies.cache-max-staleness=" + DatabaseOutageTests.STALENESS,
    "meshcp.streams.cache-refresh=100ms", "meshcp.streams.cache-max-staleness=" + DatabaseOutageTests.STALENESS})
@Import({DatabaseOutageTests.OwnDatabase.class, Fixtures.class})
class DatabaseOutageTests {

    /** Other classes' tests run while this one takes its database away: it has one of its own. */
    static final TestDatabase DATABASE = TestDatabase.apart("outage");

    static final String INFO_HASH = "outage-info-hash-001";

    /** Every cache's staleness bound here: keys, streams and policies. */
    static final String STALENESS = "300ms";

    /** Longer than every cache's staleness bound. */
    static final Duration PAST_EVERY_CACHE = Duration.ofMillis(400);

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
    HikariDataSource dataSource;

    @Test
    void playersAreServedFromWhatWasReadTelemetryIsRefusedAtOnceAndAllComesBackByItself() throws Exception {
        Http http = new Http(port);
        UUID tenantId = fixtures.tenant().id();
        streams.create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(), null, false),
                Actor.SYSTEM);
        String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null), Actor.SYSTEM)
                .key();
        // Keys this node has never read: they cannot be checked while the database is away.
        String unseenPublishable = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "unseen", List.of(), null),
                Actor.SYSTEM).key();
        String unseenSecret = apiKeys.create(tenantId, new NewKey(KeyKind.SECRET, "unseen secret", List.of(), null),
                Actor.SYSTEM).key();
        JsonNode before = p2pConfig(http, key);
        URI tracker = URI.create(before.get("signaling").get("url").asString());
        assertThat(http.post("/v1/telemetry?key=" + key, batch(2)).status()).isEqualTo(200);
        String unacknowledged = batch(2);

        try (PeerClient alice = PeerClient.connect(tracker.getPort(), before.get("signaling").get("token").asString())) {
            alice.send(announce(peer("alice"), 0));
            assertThat(alice.next()).isNotNull();

            DatabaseOutage outage = DatabaseOutage.begin(dataSource);
            try {
                // A fixed wait: nothing happens meanwhile but the caches' own clocks running past their bound.
                Thread.sleep(PAST_EVERY_CACHE.toMillis());

                Response first = http.post("/v1/telemetry?key=" + key, unacknowledged);
                assertThat(first.status()).isEqualTo(503);
                assertThat(first.header("Retry-After")).isNotBlank();
                long started = System.nanoTime();
                Response next = http.post("/v1/telemetry?key=" + key, unacknowledged);
                assertThat(next.status()).isEqualTo(503);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused at once while it is down")
                        .isLessThan(Duration.ofMillis(500));

                // 503 to be sent again, as the endpoints answer, not a 500 from an exception in the key filters.
                Response unseenPlayer = http.get("/v1/client-config?key=" + unseenPublishable + "&stream=final");
                assertThat(unseenPlayer.status()).as(unseenPlayer.body()).isEqualTo(503);
                assertThat(unseenPlayer.header("Retry-After")).isNotBlank();
                assertThat(unseenPlayer.json().get("type").asString()).endsWith("unavailable");
                Response unseenApi = http.get("/api/v1/streams", Http.bearer(unseenSecret));
                assertThat(unseenApi.status()).as(unseenApi.body()).isEqualTo(503);
                assertThat(unseenApi.header("Retry-After")).isNotBlank();

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

            // Sent again, as a player does, until it is taken.
            AtomicReference<Response> after = new AtomicReference<>();
            await("recovered without a restart").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        after.set(http.post("/v1/telemetry?key=" + key, unacknowledged));
                        return after.get().status() == 200;
                    });
            assertThat(after.get().json().get("accepted").asInt()).isEqualTo(2);
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

    @Test
    void theDashboardAnswers503AtOnceWhileTheDatabaseIsAwayAndComesBackByItself() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String loginPage = page(browser, "/login", "text/html").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(loginPage);
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                + "/login")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("email=" + encode(tenant.ownerEmail()) + "&password="
                        + encode(Fixtures.PASSWORD) + "&_csrf=" + encode(csrf.group(1)))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotContain("login"));
        assertThat(page(browser, "/", "text/html").statusCode()).isEqualTo(200);

        DatabaseOutage outage = DatabaseOutage.begin(dataSource);
        try {
            // The first page waits out the pool (1 s here) and learns the database is away...
            HttpResponse<String> first = page(browser, "/", "text/html");
            assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
            assertThat(first.body()).contains("cannot reach its database");
            assertThat(first.headers().firstValue("Retry-After")).as("this one went to the pool").isEmpty();
            // ...and the pages after it answer at once, to browsers and to scripts: refused by the outage filter
            // (which says when to come back) without asking the pool for a connection.
            HttpResponse<String> next = page(browser, "/streams", "text/html");
            HttpResponse<String> script = page(browser, "/streams", "application/json");
            assertThat(next.statusCode()).isEqualTo(503);
            assertThat(next.headers().firstValue("Retry-After")).isPresent();
            assertThat(script.statusCode()).isEqualTo(503);
            assertThat(script.headers().firstValue("Retry-After")).isPresent();
            assertThat(script.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(script.body()).contains("urn:meshcp:problem:unavailable");
        }
        finally {
            outage.close();
        }

        // A probe goes through every half second; the first that finds the database brings the dashboard back.
        await().atMost(Duration.ofSeconds(15)).until(() -> page(browser, "/", "text/html").statusCode() == 200);
    }

    HttpResponse<String> page(HttpClient browser, String path, String accept) throws Exception {
        return browser.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Accept", accept)
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnDatabase extends TestDatabaseConfiguration {

        @Override
        protected TestDatabase database() {
            return DATABASE;
        }
    }
}
