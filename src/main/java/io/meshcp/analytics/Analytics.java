package io.meshcp.analytics;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.database.TenantId;
import io.meshcp.telemetry.Dimension;
import org.springframework.stereotype.Service;

/**
 * Analytics' public face: reports over the telemetry sums (never the raw events, but for the holdout comparison
 * and the players' breakdown), so each answers from a few thousand rows at most whatever the traffic was. Every
 * report is scoped to one tenant. The reports themselves are {@link TimeSeriesReport}, {@link TotalsReport},
 * {@link SessionsReport}, {@link ConcurrencyReport} and {@link LiveEventsReport}, over one SQL builder
 * ({@link SumsSql}).
 */
@Service
public class Analytics {

    private final TimeSeriesReport timeSeries;

    private final TotalsReport totals;

    private final SessionsReport sessions;

    private final ConcurrencyReport concurrency;

    private final LiveEventsReport liveEvents;

    Analytics(TimeSeriesReport timeSeries, TotalsReport totals, SessionsReport sessions, ConcurrencyReport concurrency,
            LiveEventsReport liveEvents) {
        this.timeSeries = timeSeries;
        this.totals = totals;
        this.sessions = sessions;
        this.concurrency = concurrency;
        this.liveEvents = liveEvents;
    }

    /** One point of a time series: its start, the group it belongs to (null without a breakdown), its metrics. */
    public record Point(Instant t, String group, Metrics metrics) {
    }

    /**
     * Totals of a range, its busiest minute, and the same metrics per cohort; money saved is in {@code currency}, the
     * organisation's (ISO 4217).
     */
    public record Summary(Metrics total, Double peakViewers, Map<String, Metrics> cohorts, String currency) {
    }

    /** Why players were not (fully) p2p: playback hours affected and their share of all playback. */
    public record ReasonShare(String reason, double viewerHours, Double share) {
    }

    /**
     * The p2p cohort against the holdout over [from, to): rebuffer ratio and battery drain per hour, each with a 95%
     * interval of the difference. Computed from the raw heartbeats, per playback session, so it covers no more
     * than the organisation keeps them ({@code rawSince}: the earliest instant it could see).
     */
    public record HoldoutComparison(CohortDifference rebufferRatio, CohortDifference batteryDrainPerHour,
            Instant rawSince) {
    }

    /** A range's totals within one group of a breakdown (one stream, say). */
    public record GroupMetrics(String group, Metrics metrics) {
    }

    /** A range's metrics in one cohort and one group (null: all groups together). */
    public record CohortMetrics(String group, String cohort, Metrics metrics) {
    }

    /** Offload at one level of concurrency: stream-minutes whose audience fell in [minViewers, maxViewers). */
    public record ConcurrencyBand(int minViewers, Integer maxViewers, Double offload, long streamMinutes,
            double viewerHours) {
    }

    /** What a live event's latency budget bought: the event's window against the same stretch just before it. */
    public record LiveEventReport(UUID eventId, UUID streamId, String name, Instant startsAt, Instant endsAt,
            Integer latencyBudgetMs, Metrics during, Double peakViewers, Metrics before) {
    }

    /** What heartbeats say about the player itself, which the sums do not keep: its player and our SDK's version. */
    public enum Client {
        PLAYER("player"), SDK("sdk");

        private final String column;

        Client(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }
    }

    public List<Point> timeseries(@TenantId UUID tenantId, AnalyticsQuery query, Granularity granularity,
            Dimension breakdown) {
        return timeSeries.timeseries(tenantId, query, granularity, breakdown);
    }

    public Summary summary(@TenantId UUID tenantId, AnalyticsQuery query) {
        return totals.summary(tenantId, query);
    }

    /** The totals of exactly [from, to) within each group of {@code by}, in no particular order. */
    public List<GroupMetrics> breakdown(@TenantId UUID tenantId, AnalyticsQuery query, Dimension by) {
        return totals.breakdown(tenantId, query, by);
    }

    /**
     * The p2p cohort against the holdout over exactly [from, to), overall ({@code by} null) or within each
     * group of {@code by} (each device, say): what p2p costs in battery and quality where it is used.
     */
    public List<CohortMetrics> cohorts(@TenantId UUID tenantId, AnalyticsQuery query, Dimension by) {
        return totals.cohorts(tenantId, query, by);
    }

    public List<ReasonShare> ineligibility(@TenantId UUID tenantId, AnalyticsQuery query) {
        return totals.ineligibility(tenantId, query);
    }

    public HoldoutComparison holdout(@TenantId UUID tenantId, AnalyticsQuery query) {
        return sessions.holdout(tenantId, query);
    }

    /**
     * The p2p cohort against the holdout within each player (hls.js 1.5, shaka 4.9) or SDK version, over [from, to):
     * read from the raw heartbeats, so up to 31 days and no further back than they are kept. A heartbeat that names
     * none falls in the group "unknown".
     */
    public List<CohortMetrics> clients(@TenantId UUID tenantId, AnalyticsQuery query, Client by) {
        return sessions.clients(tenantId, query, by);
    }

    /**
     * Offload against concurrency: each stream's minutes grouped by how many viewers watched it then. Over
     * more than a day, stream-hours by their average audience (counted as 60 stream-minutes each), so a
     * month reads thousands of rows instead of half a million. Ranges up to 35 days.
     */
    public List<ConcurrencyBand> concurrency(@TenantId UUID tenantId, AnalyticsQuery query) {
        return concurrency.concurrency(tenantId, query);
    }

    /**
     * Live events that overlap the range (cancelled ones excluded), most recent first, each with its
     * metrics during the window so far and during as long a stretch just before it, on the same stream.
     */
    public List<LiveEventReport> liveEvents(@TenantId UUID tenantId, AnalyticsQuery query) {
        return liveEvents.liveEvents(tenantId, query);
    }
}
