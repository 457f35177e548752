package io.meshcp.guard;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.shared.caller.Actor;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import io.meshcp.webhooks.EndpointRequest;
import io.meshcp.webhooks.Webhooks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The auto-guard on synthetic viewers: where p2p makes them rebuffer it acts within one evaluation, and where it
 * does not, where the holdout is too small to tell, or where a stream opted out, it never does.
 */
@IntegrationTest
class AutoGuardTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    AutoGuard guard;

    @Autowired
    Webhooks webhooks;

    Http http;

    UUID tenantId;

    String[] ops;

    String publishable;

    Instant start;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenantId = fixtures.tenant().id();
        ops = bearer(fixtures.secretKey(tenantId, Role.OPS).key());
        publishable = fixtures.publishableKey(tenantId).key();
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(20, ChronoUnit.MINUTES);
    }

    @Test
    void whereP2pMakesViewersRebufferTheGuardSwitchesItOffAndPlayersAreToldWhy() {
        String stream = stream("final");
        UUID endpoint = webhooks.create(tenantId, new EndpointRequest("https://hooks.example.invalid/guard", null,
                List.of("auto_guard.acted"), true), Actor.SYSTEM).endpoint().id();
        assertThat(http.put("/api/v1/auto-guard", """
                {"enabled": true, "margin": 0.01, "windowMinutes": 60, "minSessions": 30}""", ops).status())
                .isEqualTo(200);
        // 40 phones per cohort: p2p stalls 8-12% of the time, the holdout 1-3%.
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.addAll(session("final", "p2p", 800 + 10 * i));
            events.addAll(session("final", "holdout", 100 + 5 * i));
        }
        ingest(events);
        assertThat(switchedOff("final")).isFalse();

        List<GuardAction> acted = ours(guard.evaluate());
        assertThat(acted).hasSize(1);
        GuardAction action = acted.getFirst();
        assertThat(action.streamId().toString()).isEqualTo(stream);
        assertThat(action.p2pRebufferRatio()).isGreaterThan(0.08);
        assertThat(action.holdoutRebufferRatio()).isLessThan(0.03);
        assertThat(action.differenceLow()).isGreaterThan(0.01);
        assertThat(action.p2pSessions()).isEqualTo(40);

        // Players are told why; the switch is the stream's, marked as the guard's.
        JsonNode config = clientConfig("final").get("p2p");
        assertThat(config.get("enabled").asBoolean()).isFalse();
        assertThat(config.get("reasons").toString()).contains("AUTO_GUARD").doesNotContain("KILL_SWITCH");
        JsonNode switches = http.get("/api/v1/kill-switches", ops).json();
        assertThat(switches.size()).isEqualTo(1);
        assertThat(switches.get(0).get("autoGuard").asBoolean()).isTrue();
        assertThat(switches.get(0).get("streamId").asString()).isEqualTo(stream);
        assertThat(switches.get(0).get("reason").asString()).startsWith("AUTO_GUARD: p2p viewers stalled");
        assertThat(http.get("/api/v1/auto-guard/actions", ops).json().get(0).get("holdoutSessions").asLong())
                .isEqualTo(40);
        assertThat(http.get("/api/v1/audit-events?type=AUTO_GUARD_ACTED", ops).body()).contains(stream);
        assertThat(TestDatabase.owner().queryForList("select ev.type from webhook_deliveries d join webhook_events ev "
                + "on ev.id = d.event_id where d.endpoint_id = ?", String.class, endpoint))
                .containsExactly("auto_guard.acted");

        assertThat(ours(guard.evaluate())).as("off already: nothing more to do").isEmpty();

        // A person releases it; what happened before the guard acted is not held against the stream again.
        assertThat(http.delete("/api/v1/streams/" + stream + "/kill-switch", ops).status()).isEqualTo(204);
        assertThat(ours(guard.evaluate())).isEmpty();
        assertThat(switchedOff("final")).isFalse();
    }

    @Test
    void whereP2pDoesNotHurtWhereTheHoldoutIsTooSmallOrWhereAStreamOptedOutItNeverActs() {
        stream("same");
        String small = stream("small");
        String optedOut = stream("opted-out");
        assertThat(http.put("/api/v1/auto-guard", """
                {"enabled": true, "margin": 0.01, "windowMinutes": 60, "minSessions": 30}""", ops).status())
                .isEqualTo(200);
        assertThat(http.put("/api/v1/streams/" + optedOut + "/auto-guard", """
                {"enabled": false, "margin": 0.01, "windowMinutes": 60, "minSessions": 30}""", ops).status())
                .isEqualTo(200);
        assertThat(http.put("/api/v1/streams/" + small + "/auto-guard", """
                {"enabled": true, "margin": 0.01, "windowMinutes": 60, "minSessions": 50}""", ops).status())
                .isEqualTo(200);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            // The same stalls in both cohorts.
            events.addAll(session("same", "p2p", 300 + 5 * i));
            events.addAll(session("same", "holdout", 300 + 5 * i));
            // p2p much worse, but 40 viewers in each cohort where this stream wants 50 to tell.
            events.addAll(session("small", "p2p", 1_500));
            events.addAll(session("small", "holdout", 100));
            // p2p much worse, on a stream that opted out.
            events.addAll(session("opted-out", "p2p", 1_500));
            events.addAll(session("opted-out", "holdout", 100));
        }
        ingest(events);

        assertThat(ours(guard.evaluate())).isEmpty();
        assertThat(http.get("/api/v1/kill-switches", ops).json().size()).isZero();
        assertThat(http.get("/api/v1/auto-guard/actions", ops).json().size()).isZero();
        for (String stream : List.of("same", "small", "opted-out")) {
            assertThat(switchedOff(stream)).as(stream).isFalse();
        }
    }

    @Test
    void settingsAreCheckedFollowTheOrganisationUnlessAStreamHasItsOwnAndStayWithTheirOrganisation() {
        String stream = stream("final");
        JsonNode off = http.get("/api/v1/auto-guard", ops).json();
        assertThat(off.get("enabled").asBoolean()).as("opt-in").isFalse();

        JsonNode refused = http.put("/api/v1/auto-guard", """
                {"enabled": true, "margin": 2, "windowMinutes": 1, "minSessions": 5, "releaseAfterMinutes": 1}""",
                ops).json();
        assertThat(refused.get("status").asInt()).isEqualTo(400);
        assertThat(refused.get("errors").toString()).contains("margin").contains("windowMinutes")
                .contains("minSessions").contains("releaseAfterMinutes");
        assertThat(http.put("/api/v1/auto-guard", "{\"enabled\": ", ops).status()).isEqualTo(400);
        assertThat(http.get("/api/v1/auto-guard", ops).json().get("enabled").asBoolean()).isFalse();

        http.put("/api/v1/auto-guard", """
                {"enabled": true, "margin": 0.02, "windowMinutes": 30, "minSessions": 50, "releaseAfterMinutes": 60}""",
                ops);
        JsonNode inherited = http.get("/api/v1/streams/" + stream + "/auto-guard", ops).json();
        assertThat(inherited.get("own").isNull()).isTrue();
        assertThat(inherited.get("effective").get("margin").asDouble()).isEqualTo(0.02);
        http.put("/api/v1/streams/" + stream + "/auto-guard", """
                {"enabled": false, "margin": 0.05, "windowMinutes": 30, "minSessions": 50}""", ops);
        assertThat(http.get("/api/v1/streams/" + stream + "/auto-guard", ops).json().get("effective").get("enabled")
                .asBoolean()).isFalse();
        assertThat(http.delete("/api/v1/streams/" + stream + "/auto-guard", ops).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/streams/" + stream + "/auto-guard", ops).json().get("effective").get("margin")
                .asDouble()).isEqualTo(0.02);

        String[] viewer = bearer(fixtures.secretKey(tenantId, Role.VIEWER).key());
        assertThat(http.put("/api/v1/auto-guard", """
                {"enabled": false, "margin": 0.02, "windowMinutes": 30, "minSessions": 50}""", viewer).status())
                .isEqualTo(403);
        UUID other = fixtures.tenant().id();
        String[] othersOps = bearer(fixtures.secretKey(other, Role.OPS).key());
        assertThat(http.get("/api/v1/streams/" + stream + "/auto-guard", othersOps).status()).isEqualTo(404);
        assertThat(http.put("/api/v1/streams/" + stream + "/auto-guard", """
                {"enabled": true, "margin": 0.02, "windowMinutes": 30, "minSessions": 50}""", othersOps).status())
                .isEqualTo(404);
        assertThat(http.get("/api/v1/auto-guard", othersOps).json().get("enabled").asBoolean()).isFalse();
        assertThat(http.get("/api/v1/audit-events?type=AUTO_GUARD_SETTINGS_CHANGED", ops).json().get("items").size())
                .isEqualTo(3);
    }

    // --- helpers

    private List<GuardAction> ours(List<GuardAction> acted) {
        List<String> streams = new ArrayList<>();
        http.get("/api/v1/streams", ops).json().get("items").forEach(s -> streams.add(s.get("id").asString()));
        return acted.stream().filter(action -> streams.contains(action.streamId().toString())).toList();
    }

    private String stream(String externalId) {
        Http.Response created = http.post("/api/v1/streams", """
                {"externalId": "%s", "name": "%s", "kind": "LIVE"}""".formatted(externalId, externalId), ops);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    /**
     * Whether client-config tells players p2p is off for the stream by a switch. Not {@code enabled}: the session
     * asking may land in the holdout, where p2p is off anyway.
     */
    private boolean switchedOff(String stream) {
        String reasons = clientConfig(stream).get("p2p").get("reasons").toString();
        return reasons.contains("AUTO_GUARD") || reasons.contains("KILL_SWITCH");
    }

    private JsonNode clientConfig(String stream) {
        Http.Response config = http.get("/v1/client-config?key=" + publishable + "&stream=" + stream
                + "&session=guard-test-session-" + stream);
        assertThat(config.status()).as(config.body()).isEqualTo(200);
        return config.json();
    }

    private void ingest(List<String> events) {
        for (int from = 0; from < events.size(); from += 400) {
            List<String> batch = events.subList(from, Math.min(events.size(), from + 400));
            JsonNode result = http.post("/v1/telemetry?key=" + publishable,
                    "{\"events\": [" + String.join(",", batch) + "]}").json();
            assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(batch.size());
        }
    }

    /** One phone's three heartbeats, 10 s apart, each stalling {@code stallMs} of 10 s. */
    private List<String> session(String stream, String cohort, int stallMs) {
        String session = cohort + "-" + UUID.randomUUID();
        List<String> heartbeats = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            heartbeats.add("""
                    {"eventId": "%s", "ts": "%s", "sessionId": "%s", "streamId": "%s", "cohort": "%s",
                     "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": %d,
                     "rebufferMs": %d, "device": "mobile", "network": "wifi", "p2pReasons": []}"""
                    .formatted(UUID.randomUUID(), start.plusSeconds(10L * i), session, stream, cohort,
                            cohort.equals("p2p") ? 2000 : 0, 10_000 - stallMs, stallMs));
        }
        return heartbeats;
    }
}
