package io.meshcp.clientconfig;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.shared.caller.Actor;
import io.meshcp.signaling.SignalingClaims;
import io.meshcp.signaling.SignalingTokens;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class ClientConfigTests {

    static final String ORIGIN = "https://player.example.com";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    SignalingTokens tokens;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Autowired
    MeterRegistry meters;

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    String publishable;

    String streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        publishable = apiKeys.create(tenant.id(), new NewKey(KeyKind.PUBLISHABLE, "web",
                List.of(ORIGIN, "https://*.example.org"), null), Actor.SYSTEM).key();
        streamId = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE",
                 "renditions": [{"id": "720p", "bitrate": 3000000}, {"id": "1080p", "bitrate": 6000000}]}""", auth)
                .json().get("id").asString();
    }

    @Test
    void answersEverythingAPlayerNeedsWithATokenBoundToItsContext() {
        // Cohorts are drawn per tenant and session; with a fresh tenant, pick a session in the p2p cohort
        // (the default holdout is 5%).
        String session = IntStream.range(1, 1000).mapToObj("session-%04d"::formatted)
                .filter(candidate -> P2pDecision.cohort(tenant.id(), candidate, 5) == Cohort.P2P).findFirst()
                .orElseThrow();
        Response response = config("&rendition=720p&device=mobile&network=wifi&battery=0.8&charging=false"
                + "&nat=port-restricted&session=" + session, ORIGIN);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Access-Control-Allow-Origin")).isEqualTo(ORIGIN);
        assertThat(response.header("Vary")).contains("Origin");
        assertThat(response.header("ETag")).isNotBlank();
        JsonNode body = response.json();
        assertThat(body.get("stream").get("id").asString()).isEqualTo("final");
        assertThat(body.get("stream").get("rendition").asString()).isEqualTo("720p");
        assertThat(body.get("session").asString()).isEqualTo(session);
        assertThat(body.get("p2p").get("enabled").asBoolean()).isTrue();
        assertThat(body.get("p2p").get("upload").asBoolean()).isTrue();
        assertThat(body.get("p2p").get("maxPeers").asInt()).isEqualTo(5);
        assertThat(body.get("policy").get("latencyBudgetMs").asInt()).isEqualTo(6000);
        assertThat(body.get("iceServers").get(0).get("urls").get(0).asString()).startsWith("stun:");
        assertThat(body.get("telemetry").get("url").asString()).endsWith("/v1/telemetry");
        assertThat(body.get("telemetry").get("intervalMs").asLong()).isEqualTo(10_000);
        assertThat(body.get("signaling").get("url").asString()).matches("ws://localhost:\\d+/v1/signal")
                .doesNotContain(":" + port + "/");
        assertThat(Instant.parse(body.get("signaling").get("expiresAt").asString())).isAfter(Instant.now());

        SignalingClaims claims = tokens.verify(body.get("signaling").get("token").asString()).orElseThrow();
        assertThat(claims.tenantId()).isEqualTo(tenant.id());
        assertThat(claims.streamId()).isEqualTo(UUID.fromString(streamId));
        assertThat(claims.session()).isEqualTo(session);
        assertThat(claims.device()).isEqualTo(DeviceClass.MOBILE);
        assertThat(claims.nat()).isEqualTo(NatType.PORT_RESTRICTED);
        assertThat(claims.cohort().code()).isEqualTo(body.get("cohort").asString());
        assertThat(claims.policyVersion()).isEqualTo(body.get("policyVersion").asString());
        String token = body.get("signaling").get("token").asString();
        int middleOfSignature = token.lastIndexOf('.') + 10;
        String tampered = token.substring(0, middleOfSignature)
                + (token.charAt(middleOfSignature) == 'A' ? 'B' : 'A') + token.substring(middleOfSignature + 1);
        assertThat(tokens.verify(tampered)).isEmpty();
    }

    @Test
    void anUnchangedConfigRevalidatesWithA304() {
        Response first = config("&session=session-etag-1", null);

        Response again = http.get("/v1/client-config?key=" + publishable + "&stream=final&session=session-etag-1",
                "If-None-Match", first.header("ETag"));

        assertThat(again.status()).isEqualTo(304);
    }

    @Test
    void originsOutsideTheKeysListAreRefusedAndBrowserlessPlayersAreServed() {
        assertThat(config("", "https://evil.example.net").status()).isEqualTo(403);
        assertThat(config("", "https://evil.example.net").json().get("type").asString())
                .isEqualTo("urn:meshcp:problem:forbidden");
        assertThat(config("", "https://www.example.org").status()).isEqualTo(200);
        assertThat(config("", "https://example.org").status()).isEqualTo(403);
        Response native_ = config("", null);
        assertThat(native_.status()).isEqualTo(200);
        assertThat(native_.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void keysStreamsAndParametersAreCheckedWithProblemDetails() {
        IssuedKey secret = fixtures.secretKey(tenant.id());
        assertThat(http.get("/v1/client-config?stream=final").status()).isEqualTo(401);
        assertThat(http.get("/v1/client-config?stream=final&key=" + secret.key()).status()).isEqualTo(401);
        assertThat(http.get("/v1/client-config?stream=final&key=mesh_pk_" + "x".repeat(43)).status())
                .isEqualTo(401);
        assertThat(http.get("/v1/client-config?key=" + publishable + "&stream=nope").status()).isEqualTo(404);

        Map<String, String> bad = Map.of("&device=fridge", "device", "&network=5g", "network", "&battery=2",
                "battery", "&battery=full", "battery", "&charging=yes", "charging", "&nat=cgnat", "nat",
                "&session=short", "session", "&rendition=4k", "rendition");
        bad.forEach((parameters, field) -> {
            Response response = config(parameters, null);
            assertThat(response.status()).as(parameters).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(parameters).isEqualTo(field);
        });
        Response noStream = http.get("/v1/client-config?key=" + publishable);
        assertThat(noStream.json().get("errors").get(0).get("field").asString()).isEqualTo("stream");

        http.delete("/api/v1/streams/" + streamId, auth);
        assertThat(config("", null).status()).isEqualTo(404);
    }

    @Test
    void anotherTenantsStreamIsNotFoundWithThisKey() {
        Fixtures.Tenant other = fixtures.tenant();
        http.post("/api/v1/streams", "{\"externalId\": \"theirs\", \"name\": \"T\", \"kind\": \"VOD\"}",
                bearer(fixtures.secretKey(other.id()).key()));

        assertThat(http.get("/v1/client-config?key=" + publishable + "&stream=theirs").status()).isEqualTo(404);
    }

    @Test
    void aRevokedKeyStopsWorkingAtOnce() {
        IssuedKey key = apiKeys.create(tenant.id(), new NewKey(KeyKind.PUBLISHABLE, "to revoke", List.of(), null),
                Actor.SYSTEM);
        assertThat(http.get("/v1/client-config?stream=final&key=" + key.key()).status()).isEqualTo(200);

        apiKeys.revoke(tenant.id(), key.view().id(), Actor.SYSTEM);

        assertThat(http.get("/v1/client-config?stream=final&key=" + key.key()).status()).isEqualTo(401);
    }

    @Test
    void sensitiveStreamsKillSwitchesAndTheHoldoutGetNoSwarm() {
        http.put("/api/v1/streams/" + streamId, """
                {"externalId": "final", "name": "Final", "kind": "LIVE", "sensitive": true}""", auth);
        JsonNode sensitive = config("", null).json();
        assertThat(sensitive.get("p2p").get("enabled").asBoolean()).isFalse();
        assertThat(sensitive.get("p2p").get("reasons").toString()).contains("STREAM_SENSITIVE");
        assertThat(sensitive.get("signaling").isNull()).isTrue();

        http.put("/api/v1/streams/" + streamId, """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth);
        http.put("/api/v1/policy", "{\"holdoutPercent\": 100}", with(auth, "If-Match", "\"v0\""));
        JsonNode holdout = config("", null).json();
        assertThat(holdout.get("cohort").asString()).isEqualTo("holdout");
        assertThat(holdout.get("p2p").get("reasons").toString()).contains("HOLDOUT_COHORT");
        assertThat(holdout.get("signaling").isNull()).isTrue();
    }

    @Test
    void aKillSwitchAPolicyChangeAndAnEventStartShowWithinTwoSeconds() {
        // Without a session the server draws one, and one in twenty lands in the holdout (no p2p at all).
        String session = "&session=" + IntStream.range(1, 1000).mapToObj("session-%04d"::formatted)
                .filter(candidate -> P2pDecision.cohort(tenant.id(), candidate, 5) == Cohort.P2P).findFirst()
                .orElseThrow();
        assertThat(config(session, null).json().get("p2p").get("enabled").asBoolean()).isTrue();

        // Engaged on another node: the row changes, and that node's transaction logs the change (cache_changes);
        // this node's caches are told only through the log.
        jdbc.update("insert into kill_switches (tenant_id, stream_id, engaged_by, engaged_at) values (?, null, 'ops', now())",
                tenant.id());
        logPolicyChangeOnAnotherNode();
        awaitWithinTwoSeconds(() -> config(session, null).json().get("p2p").get("reasons").toString()
                .contains("KILL_SWITCH"));
        jdbc.update("delete from kill_switches where tenant_id = ?", tenant.id());
        logPolicyChangeOnAnotherNode();
        awaitWithinTwoSeconds(() -> config(session, null).json().get("p2p").get("enabled").asBoolean());

        http.put("/api/v1/streams/" + streamId + "/policy", "{\"latencyBudgetMs\": 2500}",
                with(auth, "If-Match", "\"v0\""));
        assertThat(config(session, null).json().get("policy").get("latencyBudgetMs").asInt())
                .as("at once on the node that made the change").isEqualTo(2500);

        Instant start = Instant.now().plusSeconds(2);
        http.post("/api/v1/live-events", """
                {"streamId": "%s", "name": "Kick-off", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": 1200}}""".formatted(streamId, start, start.plusSeconds(600)), auth);
        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> config(session, null).json().get("policy").get("latencyBudgetMs").asInt() == 1200);
        assertThat(Instant.now()).isBefore(start.plusSeconds(2));
    }

    @Test
    void theHotPathDoesNotTouchTheDatabasePerRequest() {
        assertThat(config("&session=warm-up-session", null).status()).isEqualTo(200);
        Timer acquisitions = meters.get("hikaricp.connections.acquire").timer();
        long before = acquisitions.count();

        int requests = 1_000;
        long started = System.nanoTime();
        for (int i = 0; i < requests; i++) {
            assertThat(config("&session=session-" + (100_000 + i), null).status()).isEqualTo(200);
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;

        // A database round trip per request would take at least one connection each. What does take them runs
        // by the clock, not per request: the reading of the cache change log (twice a second) and the last-used
        // writes (five a second here), so a loaded machine that runs slower takes more.
        assertThat(acquisitions.count() - before).isLessThan(requests / 10 + 15 * seconds);
    }

    private void awaitWithinTwoSeconds(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).until(condition);
    }

    @Test
    void everyBadParameterIsNamedInOneAnswerWithTheCodesItMayTake() {
        Response response = config("&device=fridge&network=WIFI&nat=cgnat&battery=NaN&charging=yes&session=short",
                null);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("errors").valueStream()
                .collect(Collectors.toMap(error -> error.get("field").asString(),
                        error -> error.get("message").asString())))
                .containsOnly(Map.entry("device", "must be desktop, mobile or tv"),
                        Map.entry("network", "must be wifi, cellular, ethernet or unknown"),
                        Map.entry("nat", "must be open, full-cone, restricted, port-restricted, symmetric or unknown"),
                        Map.entry("battery", "must be between 0 and 1"),
                        Map.entry("charging", "must be true or false"),
                        Map.entry("session", "must be 8 to 128 of [A-Za-z0-9_-]"));

        // A value that is not even a number does not hide the others.
        assertThat(config("&battery=full&nat=FULL_CONE", null).json().get("errors").valueStream()
                .map(error -> error.get("field").asString() + " " + error.get("message").asString()))
                .containsExactlyInAnyOrder("battery must be a number between 0 and 1",
                        "nat must be open, full-cone, restricted, port-restricted, symmetric or unknown");
        assertThat(config("&device=tv&network=cellular&nat=full-cone&battery=0&charging=true", null).status())
                .isEqualTo(200);
        for (String outOfRange : List.of("Infinity", "-0.5", "1.01")) {
            assertThat(config("&battery=" + outOfRange, null).status()).as(outOfRange).isEqualTo(400);
        }
    }

    private Response config(String parameters, String origin) {
        String path = "/v1/client-config?key=" + publishable + "&stream=final" + parameters;
        return origin == null ? http.get(path) : http.get(path, "Origin", origin);
    }

    private void logPolicyChangeOnAnotherNode() {
        jdbc.update("insert into cache_changes (node, kind, tenant_id) values (gen_random_uuid(), 'POLICY', ?)",
                tenant.id());
    }
}
