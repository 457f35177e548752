package io.meshcp.policies;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class PoliciesApiTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    String streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        streamId = http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth).json().get("id").asString();
    }

    @Test
    void theTenantDefaultStartsFromThePlatformAndChangesOnlyWithTheCurrentETag() {
        Response initial = http.get("/api/v1/policy", auth);
        assertThat(initial.header("ETag")).isEqualTo("\"v0\"");
        assertThat(initial.json().get("effective").get("sources").get("latencyBudgetMs").asString())
                .isEqualTo("PLATFORM");

        Response missing = http.put("/api/v1/policy", "{\"latencyBudgetMs\": 4000}", auth);
        assertThat(missing.status()).isEqualTo(428);
        assertThat(missing.json().get("type").asString()).isEqualTo("urn:meshcp:problem:precondition-required");

        Response saved = http.put("/api/v1/policy", "{\"latencyBudgetMs\": 4000, \"maxPeers\": {\"mobile\": 3}}",
                with(auth, "If-Match", "\"v0\""));
        assertThat(saved.status()).isEqualTo(200);
        assertThat(saved.header("ETag")).isEqualTo("\"v1\"");
        JsonNode effective = saved.json().get("effective");
        assertThat(effective.get("values").get("latencyBudgetMs").asInt()).isEqualTo(4000);
        assertThat(effective.get("values").get("maxPeers").get("mobile").asInt()).isEqualTo(3);
        assertThat(effective.get("values").get("maxPeers").get("desktop").asInt()).isEqualTo(10);
        assertThat(effective.get("sources").get("maxPeers.mobile").asString()).isEqualTo("TENANT");
        assertThat(effective.get("sources").get("maxPeers.desktop").asString()).isEqualTo("PLATFORM");

        Response stale = http.put("/api/v1/policy", "{\"latencyBudgetMs\": 9000}", with(auth, "If-Match", "\"v0\""));
        assertThat(stale.status()).isEqualTo(412);
        assertThat(stale.json().get("type").asString()).isEqualTo("urn:meshcp:problem:precondition-failed");
        assertThat(stale.json().get("currentVersion").asString()).isEqualTo("\"v1\"");
        assertThat(http.get("/api/v1/policy", auth).json().get("policy").get("latencyBudgetMs").asInt())
                .isEqualTo(4000);
    }

    @Test
    void aSaveOrRestoreThatChangesNothingMakesNoVersionAndNoAuditEntry() {
        String document = "{\"latencyBudgetMs\": 4000, \"maxPeers\": {\"mobile\": 3}}";
        assertThat(http.put("/api/v1/policy", document, with(auth, "If-Match", "\"v0\"")).header("ETag"))
                .isEqualTo("\"v1\"");

        Response again = http.put("/api/v1/policy", document, with(auth, "If-Match", "\"v1\""));
        Response restored = http.post("/api/v1/policy/versions/1/restore", "", with(auth, "If-Match", "\"v1\""));

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("ETag")).as("the same version, as it was").isEqualTo("\"v1\"");
        assertThat(again.json().get("policy").get("latencyBudgetMs").asInt()).isEqualTo(4000);
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.header("ETag")).isEqualTo("\"v1\"");
        assertThat(http.get("/api/v1/policy/versions", auth).json().size()).isEqualTo(1);
        assertThat(jdbc.queryForList("select type from audit_events where tenant_id = ? and type like 'POLICY_%'",
                String.class, tenant.id())).containsExactly("POLICY_CHANGED");
    }

    @Test
    void outOfRangeAndUnknownFieldsAreRefusedNamingTheFieldAndChangeNothing() {
        Map<String, String> cases = Map.of(
                "{\"maxPeers\": {\"mobile\": 13}}", "maxPeers.mobile",
                "{\"minBatteryForUpload\": 1.5}", "minBatteryForUpload",
                "{\"holdoutPercent\": -1}", "holdoutPercent",
                "{\"latencyBudgetMs\": 10}", "latencyBudgetMs",
                "{\"minSwarmSize\": 0}", "minSwarmSize",
                "{\"latencyBudget\": 3000}", "latencyBudget",
                "{\"p2pEnabled\": \"sometimes\"}", "p2pEnabled");

        cases.forEach((body, field) -> {
            Response response = http.put("/api/v1/policy", body, with(auth, "If-Match", "\"v0\""));
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors").get(0).get("field").asString()).as(body).isEqualTo(field);
        });
        assertThat(http.get("/api/v1/policy", auth).header("ETag")).isEqualTo("\"v0\"");
    }

    @Test
    void aStreamOverrideShowsWhereEachValueComesFromAndCanBeRestored() {
        http.put("/api/v1/policy", "{\"holdoutPercent\": 10}", with(auth, "If-Match", "\"v0\""));
        String path = "/api/v1/streams/" + streamId + "/policy";

        http.put(path, "{\"latencyBudgetMs\": 2500}", with(auth, "If-Match", "\"v0\""));
        Response second = http.put(path, "{\"latencyBudgetMs\": 1800, \"uploadOnCellular\": true}",
                with(auth, "If-Match", "\"v1\""));

        JsonNode sources = second.json().get("effective").get("sources");
        assertThat(sources.get("latencyBudgetMs").asString()).isEqualTo("STREAM");
        assertThat(sources.get("holdoutPercent").asString()).isEqualTo("TENANT");
        assertThat(sources.get("minSwarmSize").asString()).isEqualTo("PLATFORM");

        Response history = http.get(path + "/versions", auth);
        assertThat(history.json()).hasSize(2);
        assertThat(history.json().get(0).get("diff").get("latencyBudgetMs").get("from").asInt()).isEqualTo(2500);
        assertThat(history.json().get(0).get("diff").get("latencyBudgetMs").get("to").asInt()).isEqualTo(1800);
        assertThat(history.json().get(0).get("source").asString()).isEqualTo("API");
        assertThat(history.json().get(0).get("actor").asString()).contains("API key");

        Response restored = http.post(path + "/versions/1/restore", "", with(auth, "If-Match", "\"v2\""));
        assertThat(restored.status()).isEqualTo(200);
        assertThat(restored.header("ETag")).isEqualTo("\"v3\"");
        assertThat(restored.json().get("policy").get("latencyBudgetMs").asInt()).isEqualTo(2500);
        assertThat(restored.json().get("policy").has("uploadOnCellular")).isTrue();
        assertThat(restored.json().get("policy").get("uploadOnCellular").isNull()).isTrue();
        assertThat(http.get(path + "/versions", auth).json().get(0).get("restoredFrom").asInt()).isEqualTo(1);
        assertThat(jdbc.queryForList("select type from audit_events where tenant_id = ? and type like 'POLICY_%' "
                + "order by id", String.class, tenant.id())).containsExactly("POLICY_CHANGED", "POLICY_CHANGED",
                        "POLICY_CHANGED", "POLICY_RESTORED");
    }

    @Test
    void killSwitchesAreListedAuditedAndReleased() {
        assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"incident 42\"}", auth).status()).isEqualTo(204);
        assertThat(http.put("/api/v1/streams/" + streamId + "/kill-switch", "", auth).status()).isEqualTo(204);

        JsonNode engaged = http.get("/api/v1/kill-switches", auth).json();
        assertThat(engaged).hasSize(2);
        assertThat(engaged.get(0).get("streamId").isNull()).isTrue();
        assertThat(engaged.get(0).get("reason").asString()).isEqualTo("incident 42");
        assertThat(http.get("/api/v1/streams/" + streamId + "/policy", auth).json().get("effective")
                .get("killSwitch").asString()).isEqualTo("TENANT");

        http.delete("/api/v1/kill-switch", auth);
        assertThat(http.get("/api/v1/streams/" + streamId + "/policy", auth).json().get("effective")
                .get("killSwitch").asString()).isEqualTo("STREAM");
        http.delete("/api/v1/streams/" + streamId + "/kill-switch", auth);
        assertThat(http.get("/api/v1/kill-switches", auth).json()).isEmpty();
        assertThat(jdbc.queryForList("select type from audit_events where tenant_id = ? and type like 'KILL_%' "
                + "order by id", String.class, tenant.id())).containsExactly("KILL_SWITCH_ENGAGED",
                        "KILL_SWITCH_ENGAGED", "KILL_SWITCH_RELEASED", "KILL_SWITCH_RELEASED");
    }

    @Test
    void aKillSwitchEngagedWithAReleaseTimeReleasesItselfThenAndTheAuditSaysSo() {
        Instant releaseAt = Instant.now().plus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"match\", \"releaseAt\": \"" + releaseAt + "\"}",
                auth).status()).isEqualTo(204);
        JsonNode engaged = http.get("/api/v1/kill-switches", auth).json().get(0);
        assertThat(Instant.parse(engaged.get("releaseAt").asString())).isEqualTo(releaseAt);

        // The release time comes (moved, rather than waited for): the job releases it within seconds.
        jdbc.update("update kill_switches set release_at = now() - interval '1 second' where tenant_id = ?",
                tenant.id());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(http.get("/api/v1/kill-switches", auth)
                .json()).isEmpty());
        assertThat(http.get("/api/v1/streams/" + streamId + "/policy", auth).json().get("effective").get("killSwitch")
                .isNull()).isTrue();
        assertThat(jdbc.queryForList("select type || ' by ' || actor || ' ' || (details ->> 'automatic') "
                + "from audit_events where tenant_id = ? and type = 'KILL_SWITCH_RELEASED'", String.class, tenant.id()))
                .containsExactly("KILL_SWITCH_RELEASED by automatic release true");
    }

    @Test
    void aReleaseTimeInThePastOrBeyondAWeekIsRefusedAndEngagesNothing() {
        Response past = http.put("/api/v1/kill-switch", "{\"releaseAt\": \"2020-01-01T00:00:00Z\"}", auth);
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.json().get("errors").get(0).get("field").asString()).isEqualTo("releaseAt");
        Response far = http.put("/api/v1/streams/" + streamId + "/kill-switch",
                "{\"releaseAt\": \"" + Instant.now().plus(8, ChronoUnit.DAYS) + "\"}", auth);
        assertThat(far.status()).isEqualTo(400);
        assertThat(far.json().get("errors").get(0).get("message").asString()).contains("7 days");
        assertThat(http.put("/api/v1/kill-switch", "{\"releaseAt\": \"tomorrow\"}", auth).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/kill-switches", auth).json()).isEmpty();
    }

    @Test
    void aLiveEventOverridesTheStreamOnlyInsideItsWindowAndCannotOverlapAnother() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Response active = http.post("/api/v1/live-events", event("Derby", now.minusSeconds(60), now.plusSeconds(3600),
                1200), auth);
        assertThat(active.status()).isEqualTo(201);
        assertThat(active.header("Location")).endsWith("/api/v1/live-events/" + active.json().get("id").asString());
        assertThat(active.json().get("state").asString()).isEqualTo("ACTIVE");
        assertThat(active.json().get("policyDuring").get("values").get("latencyBudgetMs").asInt()).isEqualTo(1200);

        JsonNode effective = http.get("/api/v1/streams/" + streamId + "/policy", auth).json().get("effective");
        assertThat(effective.get("values").get("latencyBudgetMs").asInt()).isEqualTo(1200);
        assertThat(effective.get("sources").get("latencyBudgetMs").asString()).isEqualTo("LIVE_EVENT");
        assertThat(effective.get("liveEvent").get("name").asString()).isEqualTo("Derby");

        Response overlapping = http.post("/api/v1/live-events", event("Clash", now.plusSeconds(1800),
                now.plusSeconds(7200), 900), auth);
        assertThat(overlapping.status()).isEqualTo(409);
        assertThat(overlapping.json().get("detail").asString()).contains("Derby");
        Response later = http.post("/api/v1/live-events", event("Replay", now.plusSeconds(3600),
                now.plusSeconds(7200), 900), auth);
        assertThat(later.status()).as("windows that only touch do not overlap").isEqualTo(201);

        assertThat(http.get("/api/v1/live-events?state=active", auth).json().get("items")).hasSize(1);
        assertThat(http.get("/api/v1/live-events?state=upcoming&streamId=" + streamId, auth).json().get("items"))
                .singleElement().satisfies(item -> assertThat(item.get("name").asString()).isEqualTo("Replay"));

        String id = active.json().get("id").asString();
        assertThat(http.delete("/api/v1/live-events/" + id, auth).json().get("state").asString())
                .isEqualTo("CANCELLED");
        JsonNode after = http.get("/api/v1/streams/" + streamId + "/policy", auth).json().get("effective");
        assertThat(after.get("sources").get("latencyBudgetMs").asString()).isEqualTo("PLATFORM");
        assertThat(http.get("/api/v1/live-events?state=past", auth).json().get("items")).hasSize(1);
    }

    @Test
    void liveEventInputIsValidated() {
        Instant now = Instant.now();
        Map<String, String> cases = Map.of(
                event("Backwards", now.plusSeconds(7200), now.plusSeconds(3600), 1000), "endsAt",
                event("Over", now.minusSeconds(7200), now.minusSeconds(3600), 1000), "endsAt",
                event("Long", now, now.plusSeconds(8 * 24 * 3600), 1000), "endsAt",
                event("", now, now.plusSeconds(60), 1000), "name",
                event("Bad budget", now, now.plusSeconds(60), 5), "latencyBudgetMs",
                "{\"streamId\": \"" + streamId + "\", \"name\": \"No overrides\", \"startsAt\": \"" + now
                        + "\", \"endsAt\": \"" + now.plusSeconds(60) + "\"}", "overrides",
                event("Bad time", now, now.plusSeconds(60), 1000).replace(now.toString(), "tomorrow"), "startsAt");

        cases.forEach((body, field) -> {
            Response response = http.post("/api/v1/live-events", body, auth);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(response.json().get("errors")).as(body)
                    .anySatisfy(error -> assertThat(error.get("field").asString()).isEqualTo(field));
        });
        assertThat(http.get("/api/v1/live-events?state=bogus", auth).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("select count(*) from live_events where tenant_id = ?", Integer.class,
                tenant.id())).isZero();
    }

    @Test
    void anotherTenantsStreamsPoliciesAndEventsAreNotFound() {
        Fixtures.Tenant other = fixtures.tenant();
        String[] otherAuth = bearer(fixtures.secretKey(other.id()).key());
        String theirStream = http.post("/api/v1/streams", """
                {"externalId": "theirs", "name": "Theirs", "kind": "LIVE"}""", otherAuth).json().get("id").asString();
        Instant now = Instant.now();
        String theirEvent = http.post("/api/v1/live-events", event("Theirs", now.plusSeconds(60),
                now.plusSeconds(120), 1000).replace(streamId, theirStream), otherAuth).json().get("id").asString();

        assertThat(http.get("/api/v1/streams/" + theirStream + "/policy", auth).status()).isEqualTo(404);
        assertThat(http.put("/api/v1/streams/" + theirStream + "/policy", "{\"p2pEnabled\": false}",
                with(auth, "If-Match", "\"v0\"")).status()).isEqualTo(404);
        assertThat(http.put("/api/v1/streams/" + theirStream + "/kill-switch", "", auth).status()).isEqualTo(404);
        assertThat(http.get("/api/v1/live-events/" + theirEvent, auth).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/live-events/" + theirEvent, auth).status()).isEqualTo(404);
        assertThat(http.post("/api/v1/live-events", event("Sneaky", now.plusSeconds(600), now.plusSeconds(700), 900)
                .replace(streamId, theirStream), auth).status()).isEqualTo(404);

        assertThat(http.get("/api/v1/kill-switches", otherAuth).json()).isEmpty();
        assertThat(http.get("/api/v1/live-events/" + theirEvent, otherAuth).json().get("state").asString())
                .isEqualTo("UPCOMING");
        assertThat(http.get("/api/v1/streams/" + theirStream + "/policy", otherAuth).header("ETag"))
                .isEqualTo("\"v0\"");
    }

    private String event(String name, Instant startsAt, Instant endsAt, int latencyBudgetMs) {
        return """
                {"streamId": "%s", "name": "%s", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": %d}}""".formatted(streamId, name, startsAt, endsAt,
                latencyBudgetMs);
    }
}
