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
import io.meshcp.shared.Actor;
import io.meshcp.shared.ConflictException;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

@IntegrationTest
class DemoTelemetryTests {

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
    void aDayOfRealisticTelemetryArrivesWithinAMinute() {
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
    }
}
