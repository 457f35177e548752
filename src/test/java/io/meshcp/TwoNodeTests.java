package io.meshcp;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Replicas;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two application instances in this JVM against one PostgreSQL and one Redis: a change made through node A
 * reaches node B's player answers within 2 seconds. Both nodes keep their caches for 10 minutes, so only the
 * invalidation through Redis can make B see a change in time.
 */
class TwoNodeTests {

    static final String A_CLIENT_NAME = "meshcp-test-node-a";

    static final String B_CLIENT_NAME = "meshcp-test-node-b";

    static String redisUrl;

    static ConfigurableApplicationContext a;

    static ConfigurableApplicationContext b;

    Http httpA;

    Http httpB;

    UUID tenantId;

    String[] auth;

    IssuedKey publishable;

    String streamId;

    @BeforeAll
    static void startTwoNodes() {
        redisUrl = Replicas.redisUrl();
        a = node(redisUrl, A_CLIENT_NAME);
        b = node(redisUrl, B_CLIENT_NAME);
        // Nodes subscribe in the background, so that they start without Redis; tests begin once both listen.
        withRedis(redis -> await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> subscribed(redis, A_CLIENT_NAME) && subscribed(redis, B_CLIENT_NAME)));
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
        tenantId = a.getBean(Accounts.class).signUp(new SignUp("Org " + id, "Owner " + id,
                "owner-" + id + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
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
    void aNodeCutOffFromRedisResubscribesByItselfAndHearsChangesAgain() {
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

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> subscribed(redis, B_CLIENT_NAME));
        });

        assertThat(httpA.put("/api/v1/kill-switch", "{\"reason\": \"incident\"}", auth).status()).isEqualTo(204);

        withinTwoSeconds(() -> configOnB().json().get("p2p").get("reasons").toString().contains("KILL_SWITCH"));
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

            assertThat(alone.getBean(ApiKeys.class).revoke(tenantId, publishable.view().id(), Actor.SYSTEM)
                    .revokedAt()).isNotNull();
            assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"incident\"}", auth).status()).isEqualTo(204);
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
        }
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

    private static boolean subscribed(StatefulRedisConnection<String, String> redis, String clientName) {
        return redis.sync().clientList().lines()
                .anyMatch(line -> line.contains(" name=" + clientName + " ") && !line.contains(" sub=0 "));
    }

    private Http.Response configOnB() {
        return httpB.get("/v1/client-config?key=" + publishable.key() + "&stream=final");
    }

    private static void withinTwoSeconds(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(condition);
    }

    private static ConfigurableApplicationContext node(String redis, String redisClientName) {
        return Replicas.start(redis, redisClientName);
    }

    private static int port(ConfigurableApplicationContext node) {
        return Replicas.httpPort(node);
    }
}
