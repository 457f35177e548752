package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import io.meshcp.analytics.Analytics;
import io.meshcp.analytics.AnalyticsQuery;
import io.meshcp.policies.LiveEventState;
import io.meshcp.policies.LiveEvents;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class DemoTelemetryTests {

    @LocalServerPort
    int port;

    @Autowired
    DemoTelemetry demo;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Analytics analytics;

    @Autowired
    StreamDirectory streams;

    @Autowired
    LiveEvents liveEvents;

    JdbcTemplate jdbc = TestDatabase.owner();

    @Test
    void aDayOfRealisticTelemetryArrivesWithinAMinuteAndGoesAgainLeavingTheOrganisationsOwn() {
        UUID tenantId = fixtures.tenant().id();
        long started = System.nanoTime();

        demo.fill(tenantId, Actor.SYSTEM);

        assertThat(streams.byExternalId(tenantId, "demo-final")).isPresent();
        assertThat(streams.byExternalId(tenantId, "demo-movie")).isPresent();
        assertThat(liveEvents.list(tenantId, LiveEventState.ACTIVE, null, 0, 10).getContent()).hasSize(1);
        assertThatThrownBy(() -> demo.fill(tenantId, Actor.SYSTEM)).isInstanceOf(ConflictException.class);
        UUID another = fixtures.tenant().id();
        demo.fill(another, Actor.SYSTEM);
        assertThat(streams.byExternalId(another, "demo-final")).as("another organisation's fill is not held up")
                .isPresent();
        Instant now = Instant.now();
        AnalyticsQuery day = new AnalyticsQuery(now.minus(Duration.ofHours(25)), now.plusSeconds(60), ZoneOffset.UTC,
                null, null, null, null, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> analytics.summary(tenantId, day).total().viewerHours()
                > 0 && jdbc.queryForObject("select count(*) from telemetry_sessions where tenant_id = ? and last_ts > ?",
                        Long.class, tenantId, Timestamp.from(now.minusSeconds(180))) > 0);
        System.out.println("demo data in " + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");

        Analytics.Summary summary = analytics.summary(tenantId, day);
        assertThat(summary.total().offload()).isBetween(0.3, 0.9);
        assertThat(summary.peakViewers()).isGreaterThan(200);
        assertThat(summary.cohorts().get("holdout").offload()).isZero();
        assertThat(summary.cohorts().get("p2p").batteryDrainPerHour())
                .isGreaterThan(summary.cohorts().get("holdout").batteryDrainPerHour());
        assertThat(analytics.ineligibility(tenantId, day)).extracting(Analytics.ReasonShare::reason)
                .contains("HOLDOUT_COHORT", "NAT_SYMMETRIC", "CELLULAR_UPLOAD_OFF", "SWARM_TOO_SMALL");
        assertThat(jdbc.queryForObject("select count(distinct rendition) from telemetry_hour where tenant_id = ?",
                Long.class, tenantId)).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForList("select distinct device from telemetry_hour where tenant_id = ?", String.class,
                tenantId)).containsExactlyInAnyOrder("mobile", "desktop", "tv");
        List<Analytics.ConcurrencyBand> bands = analytics.concurrency(tenantId, day);
        assertThat(bands).hasSizeGreaterThanOrEqualTo(3);
        assertThat(bands.getLast().offload()).as("bigger swarms offload more").isGreaterThan(bands.getFirst().offload());
        List<Analytics.LiveEventReport> events = analytics.liveEvents(tenantId, day);
        assertThat(events).hasSize(1);
        Analytics.LiveEventReport event = events.getFirst();
        assertThat(event.latencyBudgetMs()).isEqualTo(2_000);
        assertThat(event.during().avgLatencyMs()).isLessThan(event.before().avgLatencyMs());
        assertThat(event.during().offload()).isGreaterThan(event.before().offload());
        assertThat(event.peakViewers()).isGreaterThan(200);
        assertThat(jdbc.queryForObject("select sum(events) from telemetry_hour where tenant_id = ?", Long.class,
                tenantId)).isEqualTo(jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?",
                        Long.class, tenantId));

        // The organisation's own player starts reporting while the demo is there; then the demo goes, in one go,
        // leaving exactly the player's numbers.
        Http http = new Http(port);
        http.post("/api/v1/streams", """
                {"externalId": "own", "name": "Own channel", "kind": "LIVE"}""",
                Http.bearer(fixtures.secretKey(tenantId).key()));
        String key = fixtures.publishableKey(tenantId).key();
        Instant minuteAgo = Instant.now().minusSeconds(60);
        assertThat(http.post("/v1/telemetry?key=" + key, "{\"events\": [" + ownHeartbeat(minuteAgo) + ","
                + ownHeartbeat(minuteAgo.plusSeconds(10)) + "]}").json().get("accepted").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(60)).ignoreException(ConflictException.class).until(() -> {
            demo.remove(tenantId, Actor.SYSTEM);
            return true;
        });

        assertThat(demo.present(tenantId)).isFalse();
        Analytics.Summary own = analytics.summary(tenantId, day);
        assertThat(own.total().events()).isEqualTo(2);
        assertThat(own.total().bytesSaved()).isEqualTo(2 * 3_000_000L);
        assertThat(own.cohorts()).containsOnlyKeys("p2p");
        assertThat(analytics.ineligibility(tenantId, day)).isEmpty();
        assertThat(analytics.liveEvents(tenantId, day)).isEmpty();
        for (String table : List.of("telemetry_events", "telemetry_minute_tenant", "telemetry_minute_audience",
                "telemetry_hour_total", "telemetry_hour_audience", "telemetry_hour_stream", "telemetry_minute")) {
            assertThat(jdbc.queryForObject("select coalesce(sum(%s), 0) from %s where tenant_id = ?".formatted(
                    table.equals("telemetry_events") ? "1" : "events", table), Long.class, tenantId)).as(table)
                    .isEqualTo(2);
        }
        assertThat(streams.byExternalId(tenantId, "demo-final")).hasValueSatisfying(stream -> assertThat(
                stream.archived()).isTrue());
        assertThat(liveEvents.list(tenantId, LiveEventState.ACTIVE, null, 0, 10).getContent()).isEmpty();
        // With the organisation's own telemetry there, demo data would mix with it: refused, nothing made.
        assertThatThrownBy(() -> demo.fill(tenantId, Actor.SYSTEM)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("telemetry from its own players");
        assertThat(demo.present(tenantId)).isFalse();
        assertThatThrownBy(() -> demo.remove(tenantId, Actor.SYSTEM)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("no demo data");
    }

    private static String ownHeartbeat(Instant ts) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "own-viewer", "streamId": "own", "cohort": "p2p",
                 "intervalMs": 10000, "cdnBytes": 1000000, "p2pBytesDown": 3000000, "p2pBytesUp": 0, "playMs": 10000,
                 "rebufferMs": 0, "device": "desktop", "network": "wifi", "p2pReasons": []}"""
                .formatted(UUID.randomUUID(), ts);
    }
}
