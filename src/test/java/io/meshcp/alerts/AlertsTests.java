package io.meshcp.alerts;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.shared.caller.Actor;
import io.meshcp.signaling.PeerClient;
import io.meshcp.signaling.SignalingMinutes;
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
 * Alert rules on synthetic telemetry and live events, evaluated as of chosen instants: pending while the condition
 * holds over part of the window, firing over all of it, resolved when it stops, each transition once.
 */
@IntegrationTest
class AlertsTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Alerts alerts;

    @Autowired
    Webhooks webhooks;

    @Autowired
    SignalingMinutes signalingMinutes;

    Http http;

    UUID tenantId;

    String[] ops;

    String publishable;

    Instant now;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenantId = fixtures.tenant().id();
        ops = bearer(fixtures.secretKey(tenantId, Role.OPS).key());
        publishable = fixtures.publishableKey(tenantId).key();
        now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void aLiveEventWithoutHeartbeatsIsPendingThenFiresThenResolvesWhenTheyCome() {
        String stream = stream("final");
        UUID endpoint = webhooks.create(tenantId, new EndpointRequest("https://hooks.example.invalid/alerts", null,
                List.of("alert.fired", "alert.resolved"), true), Actor.SYSTEM).endpoint().id();
        Http.Response rule = http.post("/api/v1/alert-rules", """
                {"kind": "NO_HEARTBEATS", "threshold": 0, "forMinutes": 5}""", ops);
        assertThat(rule.status()).as(rule.body()).isEqualTo(201);
        assertThat(rule.json().get("description").asString()).isEqualTo("no heartbeats during a live event");
        liveEvent(stream, now.minus(2, ChronoUnit.MINUTES));

        alerts.evaluate(now);
        JsonNode pending = http.get("/api/v1/alerts", ops).json();
        assertThat(pending.size()).isEqualTo(1);
        assertThat(pending.get(0).get("state").asString()).as("two minutes of a five-minute window")
                .isEqualTo("PENDING");
        assertThat(pending.get(0).get("streamName").asString()).isEqualTo("final");

        alerts.evaluate(now.plus(4, ChronoUnit.MINUTES));
        alerts.evaluate(now.plus(4, ChronoUnit.MINUTES).plusSeconds(30));
        JsonNode firing = http.get("/api/v1/alerts", ops).json();
        assertThat(firing.get(0).get("state").asString()).isEqualTo("FIRING");
        assertThat(history()).containsExactly("FIRED");

        // A heartbeat within the window: the condition is over.
        ingest(List.of(heartbeat("final", "p2p", now.plus(1, ChronoUnit.MINUTES), 5_000)));
        alerts.evaluate(now.plus(5, ChronoUnit.MINUTES));
        assertThat(http.get("/api/v1/alerts", ops).json().size()).isZero();
        assertThat(history()).containsExactly("RESOLVED", "FIRED");
        assertThat(TestDatabase.owner().queryForList("select ev.type from webhook_deliveries d join webhook_events ev "
                + "on ev.id = d.event_id where d.endpoint_id = ? order by ev.occurred_at", String.class, endpoint))
                .as("each transition told once").containsExactly("alert.fired", "alert.resolved");
    }

    @Test
    void lowOffloadDuringALiveEventFiresOnThatStreamOnlyAndAnEndedEventResolvesIt() {
        stream("low");
        String high = stream("high");
        String low = http.get("/api/v1/streams/by-external-id/low", ops).json().get("id").asString();
        http.post("/api/v1/alert-rules", """
                {"kind": "OFFLOAD_BELOW", "threshold": 0.5, "forMinutes": 5}""", ops);
        String event = liveEvent(low, now.minus(20, ChronoUnit.MINUTES));
        liveEvent(high, now.minus(20, ChronoUnit.MINUTES));
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Instant ts = now.minus(4, ChronoUnit.MINUTES).plusSeconds(20L * i);
            events.add(heartbeat("low", "p2p", ts, 2_000));    // 20% from peers
            events.add(heartbeat("high", "p2p", ts, 8_000));   // 80% from peers
        }
        ingest(events);

        alerts.evaluate(now);
        JsonNode firing = http.get("/api/v1/alerts", ops).json();
        assertThat(firing.size()).isEqualTo(1);
        assertThat(firing.get(0).get("streamId").asString()).isEqualTo(low);
        assertThat(firing.get(0).get("state").asString()).isEqualTo("FIRING");
        assertThat(firing.get(0).get("value").asDouble()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));

        // The live event is cancelled: the rule no longer watches the stream, and its alert resolves.
        assertThat(http.delete("/api/v1/live-events/" + event, ops).status()).isEqualTo(200);
        alerts.evaluate(now.plusSeconds(30));
        assertThat(http.get("/api/v1/alerts", ops).json().size()).isZero();
        assertThat(http.get("/api/v1/alerts/history", ops).json().get(0).get("detail").asString())
                .contains("no longer watched");
    }

    @Test
    void p2pRebufferingMoreThanTheHoldoutFiresAndNothingElseDoes() {
        String stream = stream("cup");
        stream("calm");
        http.post("/api/v1/alert-rules", """
                {"kind": "P2P_REBUFFER_WORSE", "threshold": 0.01, "forMinutes": 30}""", ops);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Instant ts = now.minus(10, ChronoUnit.MINUTES).plusSeconds(i);
            events.add(stalling("cup", "p2p", ts, 800 + 10 * i));
            events.add(stalling("cup", "holdout", ts, 100 + 5 * i));
            events.add(stalling("calm", "p2p", ts, 300 + 5 * i));
            events.add(stalling("calm", "holdout", ts, 300 + 5 * i));
        }
        ingest(events);

        alerts.evaluate(now);
        JsonNode firing = http.get("/api/v1/alerts", ops).json();
        assertThat(firing.size()).isEqualTo(1);
        assertThat(firing.get(0).get("streamId").asString()).isEqualTo(stream);
        assertThat(firing.get(0).get("kind").asString()).isEqualTo("P2P_REBUFFER_WORSE");
        assertThat(firing.get(0).get("value").asDouble()).isGreaterThan(0.01);
    }

    @Test
    void aStreamWhoseTrackerSocketsAreRefusedBeyondTheShareFiresAndAFewSocketsSayNothing() {
        String busy = stream("busy");
        stream("quiet");
        http.post("/api/v1/alert-rules", """
                {"kind": "SIGNALING_REFUSALS", "threshold": 0.1, "forMinutes": 5}""", ops);
        // No holdout: every session here gets a tracker token.
        String etag = http.get("/api/v1/policy", ops).raw().headers().firstValue("ETag").orElseThrow();
        assertThat(http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", Http.with(ops, "If-Match", etag)).status())
                .isEqualTo(200);
        List<PeerClient> sockets = new ArrayList<>();
        try {
            // Five sockets per playback session where four are allowed: one in five refused.
            for (int session = 0; session < 4; session++) {
                sockets.addAll(sockets("busy", "busy-session-" + session + "-" + UUID.randomUUID(), 5));
            }
            for (int session = 0; session < 2; session++) {
                sockets.addAll(sockets("quiet", "quiet-session-" + session + "-" + UUID.randomUUID(), 5));
            }
            signalingMinutes.flush();
            alerts.evaluate(Instant.now());
        }
        finally {
            sockets.forEach(PeerClient::close);
        }
        JsonNode firing = http.get("/api/v1/alerts", ops).json();
        assertThat(firing.size()).as("quiet had 10 sockets: too few to tell").isEqualTo(1);
        assertThat(firing.get(0).get("streamId").asString()).isEqualTo(busy);
        assertThat(firing.get(0).get("value").asDouble()).isEqualTo(0.2);
        assertThat(http.get("/api/v1/alerts/history", ops).json().get(0).get("detail").asString())
                .contains("4 of 20 sockets refused");
    }

    @Test
    void rulesAreCheckedAndStayWithTheirOrganisation() {
        String stream = stream("final");
        assertThat(http.post("/api/v1/alert-rules", """
                {"kind": "OFFLOAD_BELOW", "threshold": 1.5, "forMinutes": 0}""", ops).body())
                .contains("threshold").contains("forMinutes");
        assertThat(http.post("/api/v1/alert-rules", """
                {"kind": "SOMETHING", "threshold": 0.5, "forMinutes": 5}""", ops).status()).isEqualTo(400);
        assertThat(http.post("/api/v1/alert-rules", """
                {"kind": "OFFLOAD_BELOW", "threshold": 0.5, "forMinutes": 5, "streamId": "%s"}"""
                .formatted(UUID.randomUUID()), ops).body()).contains("streamId");
        String id = http.post("/api/v1/alert-rules", """
                {"kind": "OFFLOAD_BELOW", "threshold": 0.5, "forMinutes": 5, "streamId": "%s"}""".formatted(stream),
                ops).json().get("id").asString();

        UUID other = fixtures.tenant().id();
        String[] othersOps = bearer(fixtures.secretKey(other, Role.OPS).key());
        assertThat(http.get("/api/v1/alert-rules/" + id, othersOps).status()).isEqualTo(404);
        assertThat(http.delete("/api/v1/alert-rules/" + id, othersOps).status()).isEqualTo(404);
        assertThat(http.post("/api/v1/alert-rules", """
                {"kind": "OFFLOAD_BELOW", "threshold": 0.5, "forMinutes": 5, "streamId": "%s"}""".formatted(stream),
                othersOps).status()).as("another organisation's stream").isEqualTo(400);
        String[] viewer = bearer(fixtures.secretKey(tenantId, Role.VIEWER).key());
        assertThat(http.delete("/api/v1/alert-rules/" + id, viewer).status()).isEqualTo(403);
        assertThat(http.get("/api/v1/alert-rules", ops).json().size()).isEqualTo(1);
        assertThat(http.delete("/api/v1/alert-rules/" + id, ops).status()).isEqualTo(204);
        assertThat(http.get("/api/v1/alert-rules", ops).json().size()).isZero();
        assertThat(http.get("/api/v1/audit-events?type=ALERT_RULE_DELETED", ops).body()).contains(id);
    }

    // --- helpers

    private List<String> history() {
        List<String> transitions = new ArrayList<>();
        http.get("/api/v1/alerts/history", ops).json().forEach(t -> transitions.add(t.get("transition").asString()));
        return transitions;
    }

    /** {@code count} tracker sockets of one playback session, each with a fresh token from client-config. */
    private List<PeerClient> sockets(String stream, String session, int count) {
        List<PeerClient> opened = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode signaling = http.get("/v1/client-config?key=" + publishable + "&stream=" + stream + "&session="
                    + session).json().get("signaling");
            opened.add(PeerClient.connect(URI.create(signaling.get("url").asString()).getPort(),
                    signaling.get("token").asString()));
        }
        return opened;
    }

    private String stream(String externalId) {
        Http.Response created = http.post("/api/v1/streams", """
                {"externalId": "%s", "name": "%s", "kind": "LIVE"}""".formatted(externalId, externalId), ops);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asString();
    }

    private String liveEvent(String streamId, Instant startsAt) {
        Http.Response event = http.post("/api/v1/live-events", """
                {"streamId": "%s", "name": "Match", "startsAt": "%s", "endsAt": "%s",
                 "overrides": {"latencyBudgetMs": 8000}}""".formatted(streamId, startsAt,
                now.plus(2, ChronoUnit.HOURS)), ops);
        assertThat(event.status()).as(event.body()).isEqualTo(201);
        return event.json().get("id").asString();
    }

    private void ingest(List<String> events) {
        JsonNode result = http.post("/v1/telemetry?key=" + publishable,
                "{\"events\": [" + String.join(",", events) + "]}").json();
        assertThat(result.get("accepted").asInt()).as(result.toString()).isEqualTo(events.size());
    }

    /** A heartbeat that took {@code p2pBytes} of 10,000 bytes from peers. */
    private String heartbeat(String stream, String cohort, Instant ts, int p2pBytes) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "s-%s", "streamId": "%s", "cohort": "%s",
                 "intervalMs": 10000, "cdnBytes": %d, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": 10000,
                 "rebufferMs": 0, "device": "desktop", "network": "wifi", "p2pReasons": []}"""
                .formatted(UUID.randomUUID(), ts, UUID.randomUUID(), stream, cohort, 10_000 - p2pBytes, p2pBytes);
    }

    /** A session's one heartbeat that stalled {@code stallMs} of 10 s. */
    private String stalling(String stream, String cohort, Instant ts, int stallMs) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "s-%s", "streamId": "%s", "cohort": "%s",
                 "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": 0, "p2pBytesUp": 0, "playMs": %d,
                 "rebufferMs": %d, "device": "mobile", "network": "wifi", "p2pReasons": []}"""
                .formatted(UUID.randomUUID(), ts, UUID.randomUUID(), stream, cohort, 10_000 - stallMs, stallMs);
    }
}
