package io.meshcp.analytics;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The p2p cohort against the holdout with 95% intervals from per-session values, through the API, on synthetic
 * phones: where p2p hurts, where it does not, and where the holdout is too small to tell.
 */
@IntegrationTest
class HoldoutComparisonTests {

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    Http http;

    String[] auth;

    String publishable;

    Instant start;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        Fixtures.Tenant tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        publishable = fixtures.publishableKey(tenant.id()).key();
        http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE"}""", auth);
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(30, ChronoUnit.MINUTES);
    }

    @Test
    void whereP2pRebuffersMoreAndDrainsMoreBatteryTheWholeIntervalSaysSo() {
        // 40 phones per cohort, 3 heartbeats each: p2p stalls 8-12% of the time and loses 0.4-0.6 points per 10 s;
        // the holdout stalls 1-3% and loses 0.2-0.3 points.
        List<String> events = new ArrayList<>();
        long[] p2pSums = new long[2];
        for (int i = 0; i < 40; i++) {
            int p2pStall = 800 + 10 * i;
            events.addAll(session("p2p", p2pStall, 0.004 + 0.00005 * i));
            p2pSums[0] += 3L * p2pStall;
            p2pSums[1] += 3L * 10_000;
            events.addAll(session("holdout", 100 + 5 * i, 0.002 + 0.000025 * i));
        }
        ingest(events);

        JsonNode comparison = holdout("");
        JsonNode rebuffer = comparison.get("rebufferRatio");
        assertThat(rebuffer.get("verdict").asString()).isEqualTo("P2P_WORSE");
        assertThat(rebuffer.get("p2pSessions").asLong()).isEqualTo(40);
        assertThat(rebuffer.get("holdoutSessions").asLong()).isEqualTo(40);
        // The cohort's figure is its rebuffer time over its watch time, as everywhere in analytics.
        assertThat(rebuffer.get("p2p").asDouble()).isCloseTo((double) p2pSums[0] / p2pSums[1], within(1e-9));
        assertThat(rebuffer.get("low").asDouble()).isPositive();
        assertThat(rebuffer.get("high").asDouble()).isGreaterThan(rebuffer.get("difference").asDouble());
        assertThat(rebuffer.get("difference").asDouble())
                .isCloseTo(rebuffer.get("p2p").asDouble() - rebuffer.get("holdout").asDouble(), within(1e-12));

        JsonNode battery = comparison.get("batteryDrainPerHour");
        assertThat(battery.get("verdict").asString()).isEqualTo("P2P_WORSE");
        // Two measured stretches of 10 s per session: 0.4-0.6 points per 10 s is 1.44-2.16 battery per hour.
        assertThat(battery.get("p2p").asDouble()).isBetween(1.44, 2.16);
        assertThat(battery.get("p2pSessions").asLong()).isEqualTo(40);
        assertThat(battery.get("low").asDouble()).isPositive();

        // The same figures for one stream, found by its external id.
        assertThat(holdout("&streamId=final").get("rebufferRatio").get("verdict").asString()).isEqualTo("P2P_WORSE");
    }

    @Test
    void whereBothCohortsFareAlikeTheIntervalHoldsZero() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            int stall = 100 + 20 * i;
            double drain = 0.002 + 0.0001 * i;
            events.addAll(session("p2p", stall, drain));
            events.addAll(session("holdout", stall, drain));
        }
        ingest(events);

        JsonNode comparison = holdout("");
        for (String metric : List.of("rebufferRatio", "batteryDrainPerHour")) {
            JsonNode difference = comparison.get(metric);
            assertThat(difference.get("verdict").asString()).as(metric).isEqualTo("NO_CLEAR_DIFFERENCE");
            assertThat(difference.get("difference").asDouble()).as(metric).isCloseTo(0, within(1e-9));
            assertThat(difference.get("low").asDouble()).as(metric).isNegative();
            assertThat(difference.get("high").asDouble()).as(metric).isPositive();
        }
    }

    @Test
    void aHoldoutTooSmallGivesNoIntervalAndSaysSo() {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.addAll(session("p2p", 1_000, 0.005));
        }
        for (int i = 0; i < 5; i++) {
            events.addAll(session("holdout", 100, 0.002));
        }
        ingest(events);

        JsonNode rebuffer = holdout("").get("rebufferRatio");
        assertThat(rebuffer.get("verdict").asString()).isEqualTo("TOO_FEW_SESSIONS");
        assertThat(rebuffer.get("holdoutSessions").asLong()).isEqualTo(5);
        assertThat(rebuffer.get("low").isNull()).isTrue();
        assertThat(rebuffer.get("high").isNull()).isTrue();
        assertThat(rebuffer.get("difference").asDouble()).isPositive();
    }

    @Test
    void aRangeLongerThan31DaysOrWithoutBoundsIsRefusedNamingTheField() {
        Http.Response tooLong = http.get("/api/v1/analytics/holdout?from=" + start.minus(40, ChronoUnit.DAYS) + "&to="
                + start, auth);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("to");
        Http.Response missing = http.get("/api/v1/analytics/holdout", auth);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("errors").valueStream().map(e -> e.get("field").asString()))
                .containsExactlyInAnyOrder("from", "to");
    }

    private JsonNode holdout(String filters) {
        Http.Response response = http.get("/api/v1/analytics/holdout?from=" + start.minus(1, ChronoUnit.HOURS)
                + "&to=" + Instant.now().plus(1, ChronoUnit.MINUTES) + filters, auth);
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    private void ingest(List<String> events) {
        for (int from = 0; from < events.size(); from += 400) {
            List<String> batch = events.subList(from, Math.min(events.size(), from + 400));
            JsonNode result = http.post("/v1/telemetry?key=" + publishable,
                    "{\"events\": [" + String.join(",", batch) + "]}").json();
            assertThat(result.get("accepted").asInt()).isEqualTo(batch.size());
        }
    }

    /** One unplugged phone's three heartbeats, 10 s apart, each stalling {@code stallMs} and losing {@code drain}. */
    private List<String> session(String cohort, int stallMs, double drain) {
        String session = cohort + "-" + UUID.randomUUID();
        List<String> heartbeats = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            heartbeats.add("""
                    {"eventId": "%s", "ts": "%s", "sessionId": "%s", "streamId": "final", "cohort": "%s",
                     "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": %d,
                     "rebufferMs": %d, "device": "mobile", "network": "wifi", "battery": %s, "charging": false,
                     "p2pReasons": []}""".formatted(UUID.randomUUID(), start.plusSeconds(10L * i), session, cohort,
                    cohort.equals("p2p") ? 2000 : 0, 10_000 - stallMs, stallMs, 0.9 - drain * i));
        }
        return heartbeats;
    }
}
