package io.meshcp;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.CookieManager;
import java.net.ServerSocket;
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
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.limits.Tallies;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Replicas;
import io.meshcp.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two application instances in this JVM against one PostgreSQL and one Redis, as one system: a change made
 * through node A reaches node B's player answers within 2 seconds (both nodes keep their caches for 10 minutes,
 * so only the cache change log can make B see a change in time, and it does with B cut off from Redis), telemetry through both draws on one
 * rate limit, and a browser signed in through one is signed in on the other. Without Redis, or when it goes
 * away, each node goes on by itself.
 */
class TwoNodeTests {

    static final String A_CLIENT_NAME = "meshcp-test-node-a";

    static final String B_CLIENT_NAME = "meshcp-test-node-b";

    /** Telemetry requests a second per key on every node: small, so that a burst shows whose bucket it drew on. */
    static final int RATE = 2;

    /** REST API requests per key per hour on every node: an hour, so that no token comes back during a test. */
    static final int API_REQUESTS = 10;

    static String redisUrl;

    static ConfigurableApplicationContext a;

    static ConfigurableApplicationContext b;

    Http httpA;

    Http httpB;

    UUID tenantId;

    String ownerEmail;

    String ownerName;

    String[] auth;

    IssuedKey publishable;

    String streamId;

    @BeforeAll
    static void startTwoNodes() {
        redisUrl = Replicas.redisUrl();
        a = node(redisUrl, A_CLIENT_NAME);
        b = node(redisUrl, B_CLIENT_NAME);
    }

    @AfterAll
    static void stopNodes() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @BeforeEach
    void setUp() {
        httpA = new Http(port(a));
        httpB = new Http(port(b));
        String id = UUID.randomUUID().toString().substring(0, 8);
        ownerEmail = "owner-" + id + "@example.com";
        ownerName = "Owner " + id;
        tenantId = a.getBean(Accounts.class).signUp(new SignUp("Org " + id, ownerName, ownerEmail,
                Fixtures.PASSWORD), Actor.SYSTEM).id();
        ApiKeys keys = a.getBean(ApiKeys.class);
        auth = bearer(keys.create(tenantId, new NewKey(KeyKind.SECRET, "api", List.of(), null), Actor.SYSTEM).key());
        publishable = keys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web", List.of(), null), Actor.SYSTEM);
        streamId = httpA.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).json().get("id").asString();
        // Without a session the cohort is drawn at random; no holdout keeps every answer in the p2p cohort.
        assertThat(httpA.put("/api/v1/policy", "{\"holdoutPercent\": 0}", with(auth, "If-Match", "\"v0\""))
                .status()).isEqualTo(200);
        // B answers, and so caches the key, the stream and the policy levels as they are now.
        JsonNode before = configOnB().json();
        assertThat(before.get("p2p").get("enabled").asBoolean()).isTrue();
        assertThat(before.get("policy").get("latencyBudgetMs").asInt()).isEqualTo(6000);
    }

    @Test
    void aKeyRevokedOnOneNodeIsRefusedOnTheOtherWithinTwoSeconds() {
        a.getBean(ApiKeys.class).revoke(tenantId, publishable.view().id(), Actor.SYSTEM);

        withinTwoSeconds(() -> configOnB().status() == 401);
    }

    @Test
    void aKillSwitchEngagedOnOneNodeStopsP2pOnTheOtherWithinTwoSeconds() {
        assertThat(httpA.put("/api/v1/kill-switch", "{\"reason\": \"incident\"}", auth).status()).isEqualTo(204);

        withinTwoSeconds(() -> {
            JsonNode p2p = configOnB().json().get("p2p");
            return !p2p.get("enabled").asBoolean() && p2p.get("reasons").toString().contains("KILL_SWITCH");
        });
    }

    @Test
    void aStreamPolicyChangedOnOneNodeReachesTheOtherWithinTwoSeconds() {
        assertThat(httpA.put("/api/v1/streams/" + streamId + "/policy", "{\"latencyBudgetMs\": 2500}",
                with(auth, "If-Match", "\"v0\"")).status()).isEqualTo(200);

        withinTwoSeconds(() -> configOnB().json().get("policy").get("latencyBudgetMs").asInt() == 2500);
    }

    @Test
    void aStreamMarkedSensitiveOnOneNodeGetsNoSwarmOnTheOtherWithinTwoSeconds() {
        assertThat(httpA.put("/api/v1/streams/" + streamId, """
                {"externalId": "final", "name": "Final", "kind": "LIVE", "sensitive": true}""", auth).status())
                .isEqualTo(200);

        withinTwoSeconds(() -> configOnB().json().get("p2p").get("reasons").toString().contains("STREAM_SENSITIVE"));
    }

    @Test
    void aNodeCutOffFromRedisStillHearsOtherNodesChangesThroughTheDatabase() {
        withRedis(redis -> {
            List<String> killed = new ArrayList<>();
            for (String line : redis.sync().clientList().split("\n")) {
                if (line.contains(" name=" + B_CLIENT_NAME + " ")) {
                    String id = line.substring(3, line.indexOf(' '));
                    redis.sync().clientKill(KillArgs.Builder.id(Long.parseLong(id)));
                    killed.add(id);
                }
            }
            assertThat(killed).as("node B's connections to Redis").isNotEmpty();
        });

        assertThat(httpA.put("/api/v1/kill-switch", "{\"reason\": \"incident\"}", auth).status()).isEqualTo(204);

        withinTwoSeconds(() -> configOnB().json().get("p2p").get("reasons").toString().contains("KILL_SWITCH"));
    }

    @Test
    void telemetryThroughBothNodesDrawsOnOneSharedRateLimit() {
        List<Integer> statuses = new ArrayList<>();
        Http.Response limited = null;
        long start = System.nanoTime();
        for (int i = 0; i < 4 * RATE; i++) {
            Http.Response response = telemetry(i % 2 == 0 ? httpA : httpB, "[]");
            statuses.add(response.status());
            if (response.status() == 429) {
                limited = response;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;

        // Each node on its own would take all of these: half of them is exactly one node's burst (twice the rate).
        assertThat(statuses).contains(200, 429);
        assertThat(statuses.stream().filter(status -> status == 200).count())
                .isLessThanOrEqualTo(2L * RATE + (long) Math.ceil(RATE * seconds));
        assertThat(limited.header("Retry-After")).isNotNull();
        withRedis(redis -> assertThat(redis.sync().pttl(bucketKey())).as("the bucket's time to live in ms")
                .isPositive().isLessThanOrEqualTo(3000));
    }

    @Test
    void restApiRequestsThroughBothNodesDrawOnOneSharedLimitPerKey() {
        // setUp spent two of this key's requests (the stream and the policy), through node A.
        List<Http.Response> answers = new ArrayList<>();
        for (int i = 0; i < API_REQUESTS; i++) {
            answers.add((i % 2 == 0 ? httpB : httpA).get("/api/v1/streams", auth));
        }

        for (int i = 0; i < API_REQUESTS - 2; i++) {
            Http.Response answer = answers.get(i);
            assertThat(answer.status()).as("request %d", i + 3).isEqualTo(200);
            assertThat(answer.header("RateLimit-Limit")).isEqualTo(Integer.toString(API_REQUESTS));
            assertThat(answer.header("RateLimit-Remaining")).as("left after request %d, whichever node took it", i + 3)
                    .isEqualTo(Integer.toString(API_REQUESTS - 3 - i));
            assertThat(answer.header("RateLimit-Policy")).isEqualTo(API_REQUESTS + ";w=3600");
        }
        Http.Response refused = answers.get(API_REQUESTS - 2);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:meshcp:problem:too-many-requests");
        assertThat(refused.json().get("detail").asString()).contains("10 requests in an hour");
        assertThat(refused.header("RateLimit-Remaining")).isEqualTo("0");
        // One token comes back every 6 minutes; the whole bucket in an hour.
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(300L, 360L);
        assertThat(Long.parseLong(refused.header("RateLimit-Reset"))).isBetween(3000L, 3600L);
        assertThat(answers.get(API_REQUESTS - 1).status()).isEqualTo(429);

        // Another key of the same organisation has its own limit.
        String[] other = bearer(a.getBean(ApiKeys.class).create(tenantId, new NewKey(KeyKind.SECRET, "other",
                List.of(), null), Actor.SYSTEM).key());
        Http.Response theirs = httpB.get("/api/v1/streams", other);
        assertThat(theirs.status()).isEqualTo(200);
        assertThat(theirs.header("RateLimit-Remaining")).isEqualTo(Integer.toString(API_REQUESTS - 1));
        // A refused key spends nothing.
        assertThat(httpA.get("/api/v1/streams", bearer("mesh_sk_" + "x".repeat(43))).header("RateLimit-Limit"))
                .isNull();
    }

    @Test
    void aBrowserSignedInThroughOneNodeIsSignedInOnTheOther() {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String loginPage = send(browser, a, "/login", null).body();
        assertThat(send(browser, a, "/login", "email=" + encode(ownerEmail) + "&password="
                + encode(Fixtures.PASSWORD) + "&_csrf=" + csrf(loginPage)).headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).doesNotContain("/login"));

        HttpResponse<String> overviewOnB = send(browser, b, "/", null);
        assertThat(overviewOnB.statusCode()).isEqualTo(200);
        assertThat(overviewOnB.body()).contains(ownerName);

        // A form posted to B with the session's CSRF token; the new key crosses the redirect to A in the session.
        assertThat(send(browser, b, "/keys", "kind=SECRET&name=from-b&_csrf=" + csrf(overviewOnB.body()))
                .statusCode()).isEqualTo(302);
        HttpResponse<String> keysOnA = send(browser, a, "/keys", null);
        assertThat(keysOnA.body()).contains("id=\"new-key\"").contains("mesh_sk_");

        assertThat(send(browser, b, "/logout", "_csrf=" + csrf(keysOnA.body())).statusCode()).isEqualTo(302);
        assertThat(send(browser, a, "/", null).headers().firstValue("Location"))
                .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    }

    /**
     * Wrong passwords sent to both nodes in turn: each node alone would have seen four and let every one through,
     * but the failures are counted once for both, so the attempts after the fifth are throttled wherever they land.
     */
    @Test
    void loginFailuresSpreadOverBothNodesAreThrottledAsOne() {
        // Every test signs in from loopback, one client network: earlier failures of it (other tests, earlier runs
        // against this Redis within the hour) would throttle these attempts from the first.
        withRedis(redis -> {
            List<String> tallies = redis.sync().keys("meshcp:tally:*");
            if (!tallies.isEmpty()) {
                redis.sync().del(tallies.toArray(String[]::new));
            }
        });
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        String token = csrf(send(browser, a, "/login", null).body());
        List<String> answers = new ArrayList<>();
        for (int attempt = 0; attempt < 8; attempt++) {
            answers.add(send(browser, attempt % 2 == 0 ? a : b, "/login", "email=" + encode(ownerEmail)
                    + "&password=wrong-" + attempt + "&_csrf=" + token).headers().firstValue("Location").orElse(""));
        }

        assertThat(answers.subList(0, 5)).as("the first five are checked, and fail").allSatisfy(location ->
                assertThat(location).endsWith("/login?error"));
        assertThat(answers.subList(5, 8)).as("then the throttle, counted across the nodes, holds")
                .anySatisfy(location -> assertThat(location).contains("/login?throttled="));
    }

    @Test
    void talliesCountedOnOneNodeAreSeenAndForgottenOnTheOther() {
        String name = "two-node-test:" + UUID.randomUUID();
        Instant last = Instant.parse("2026-12-07T12:00:00Z");
        a.getBean(Tallies.class).add(name, last.minusSeconds(5), Duration.ofMinutes(1));
        b.getBean(Tallies.class).add(name, last, Duration.ofMinutes(1));

        assertThat(a.getBean(Tallies.class).get(name)).contains(new Tallies.Tally(2, last));
        b.getBean(Tallies.class).forget(name);
        assertThat(a.getBean(Tallies.class).get(name)).isEmpty();
    }

    @Test
    void whenRedisGoesAwayIngestGoesOnWithTheNodesOwnLimitAndHealthShowsRedisDegraded() throws IOException {
        RedisURI redis = RedisURI.create(redisUrl);
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
                ConfigurableApplicationContext node = node("redis://127.0.0.1:" + proxy.port(),
                        "meshcp-test-node-behind-proxy")) {
            Http http = new Http(port(node));
            assertThat(telemetry(http, "[]").status()).isEqualTo(200);
            withRedis(connection -> assertThat(connection.sync().exists(bucketKey())).isEqualTo(1));
            assertThat(health(http).get("components").get("redis").get("status").asString()).isEqualTo("UP");

            proxy.cut();

            Http.Response ingest = telemetry(http, heartbeat());
            assertThat(ingest.status()).isEqualTo(200);
            assertThat(ingest.json().get("accepted").asInt()).isEqualTo(1);
            assertDegradedButReady(http);

            proxy.restore();
            withRedis(connection -> {
                connection.sync().del(bucketKey());
                await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    telemetry(http, "[]");
                    return connection.sync().exists(bucketKey()) == 1;
                });
            });
            assertThat(health(http).get("status").asString()).isEqualTo("UP");
        }
    }

    @Test
    void withRedisUnreachableANodeStartsStaysReadyAndChangesStillSucceed() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (ConfigurableApplicationContext alone = node("redis://127.0.0.1:" + closedPort,
                "meshcp-test-node-cut-off")) {
            Http http = new Http(port(alone));
            assertThat(telemetry(http, "[]").status()).isEqualTo(200);

            assertThat(alone.getBean(ApiKeys.class).revoke(tenantId, publishable.view().id(), Actor.SYSTEM)
                    .revokedAt()).isNotNull();
            assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"incident\"}", auth).status()).isEqualTo(204);
            assertDegradedButReady(http);
        }
    }

    private static void assertDegradedButReady(Http http) {
        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.json().get("components").get("redis").get("status").asString()).isEqualTo("DEGRADED");
        assertThat(health.json().get("components").get("db").get("status").asString()).isEqualTo("UP");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(http.get("/actuator/health/liveness").status()).isEqualTo(200);
    }

    private static JsonNode health(Http http) {
        return http.get("/actuator/health").json();
    }

    private Http.Response telemetry(Http http, String events) {
        return http.post("/v1/telemetry?key=" + publishable.key(), "{\"events\": " + events + "}");
    }

    private static String heartbeat() {
        return """
                [{"eventId": "%s", "ts": "%s", "sessionId": "session-two-nodes", "streamId": "final", "cohort": "p2p",
                  "intervalMs": 10000, "cdnBytes": 1, "p2pBytesDown": 1, "p2pBytesUp": 0, "playMs": 10000,
                  "rebufferMs": 0}]""".formatted(UUID.randomUUID(), Instant.now());
    }

    private String bucketKey() {
        return "meshcp:rate:telemetry:" + publishable.view().id();
    }

    /** A GET, or a form POST when there is a body; redirects are not followed, so tests see where they lead. */
    private static HttpResponse<String> send(HttpClient browser, ConfigurableApplicationContext node, String path,
            String form) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port(node) + path));
        if (form != null) {
            request.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        }
        try {
            return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String csrf(String page) {
        Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).as("a CSRF token on the page").isTrue();
        return encode(token.group(1));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void withRedis(Consumer<StatefulRedisConnection<String, String>> work) {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            work.accept(redis);
        }
        finally {
            client.shutdown();
        }
    }

    private Http.Response configOnB() {
        return httpB.get("/v1/client-config?key=" + publishable.key() + "&stream=final");
    }

    private static void withinTwoSeconds(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    private static ConfigurableApplicationContext node(String redis, String redisClientName) {
        return Replicas.start(redis, redisClientName, "--meshcp.telemetry.requests-per-second-per-key=" + RATE,
                "--meshcp.api.rate-limit.requests=" + API_REQUESTS, "--meshcp.api.rate-limit.window=1h");
    }

    private static int port(ConfigurableApplicationContext node) {
        return Replicas.httpPort(node);
    }
}
