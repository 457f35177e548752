package io.meshcp.analytics;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.player.Cohort;
import org.springframework.stereotype.Component;

/**
 * The p2p cohort against the holdout from the raw heartbeats, per playback session or per player and SDK version:
 * what the sums do not keep. Up to 31 days, and no further back than the organisation keeps heartbeats.
 */
@Component
class SessionsReport {

    /** The longest range a report over raw heartbeats reads. */
    private static final Duration MAX_RANGE = Duration.ofDays(31);

    private final ReportReads reads;

    SessionsReport(ReportReads reads) {
        this.reads = reads;
    }

    Analytics.HoldoutComparison holdout(UUID tenantId, AnalyticsQuery query) {
        return reads.read(tenantId, query, MAX_RANGE, () -> {
            SumsSql.Filter raw = SumsSql.rawFilter(tenantId, query);
            Map<String, CohortDifference.Sessions[]> cohorts = new HashMap<>();
            reads.jdbc().query(HOLDOUT_SESSIONS.formatted(raw.where()), rows -> {
                cohorts.put(rows.getString(1), new CohortDifference.Sessions[] {
                    new CohortDifference.Sessions(rows.getLong(2), rows.getDouble(3), rows.getDouble(4),
                            rows.getDouble(5), rows.getDouble(6), rows.getDouble(7)),
                    new CohortDifference.Sessions(rows.getLong(8), rows.getDouble(9), rows.getDouble(10),
                            rows.getDouble(11), rows.getDouble(12), rows.getDouble(13))});
            }, raw.args().toArray());
            CohortDifference.Sessions[] none = {CohortDifference.Sessions.NONE, CohortDifference.Sessions.NONE};
            CohortDifference.Sessions[] p2p = cohorts.getOrDefault(Cohort.P2P.code(), none);
            CohortDifference.Sessions[] holdout = cohorts.getOrDefault(Cohort.HOLDOUT.code(), none);
            Instant kept = reads.now().minus(Duration.ofDays(
                    reads.accounts().tenant(tenantId).telemetryRetentionDays()));
            return new Analytics.HoldoutComparison(CohortDifference.of(p2p[0], holdout[0], 1),
                    CohortDifference.of(p2p[1], holdout[1], 1), kept.isAfter(query.from()) ? kept : query.from());
        });
    }

    /**
     * The p2p cohort against the holdout within each player (hls.js 1.5, shaka 4.9) or SDK version, over [from, to).
     * A heartbeat that names none falls in the group "unknown".
     */
    List<Analytics.CohortMetrics> clients(UUID tenantId, AnalyticsQuery query, Analytics.Client by) {
        return reads.read(tenantId, query, MAX_RANGE, () -> {
            BigDecimal price = reads.cdnPricePerGb(tenantId);
            SumsSql.Filter raw = SumsSql.rawFilter(tenantId, query);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return reads.jdbc().query(CLIENT_SUMS.formatted(by.column(), raw.where()),
                    (rows, n) -> new Analytics.CohortMetrics(rows.getString(1), rows.getString(2),
                            Metrics.of(SumsSql.sums(rows, 3), rangeMs, price)), raw.args().toArray());
        });
    }

    /** The sums of the metric columns per client group and cohort, from raw heartbeats (battery as the writer does). */
    private static final String CLIENT_SUMS = """
            with e as (
                select coalesce(%s, 'unknown') g, cohort, interval_ms, cdn_bytes, p2p_bytes_down, p2p_bytes_up,
                       play_ms, rebuffer_ms, latency_ms, ts, battery, charging,
                       lag(ts) over w prev_ts, lag(battery) over w prev_battery, lag(charging) over w prev_charging
                from telemetry_events where tenant_id = ? and ts >= ? and ts < ? %s
                window w as (partition by session_id order by ts)
            ), d as (
                select *, charging = false and prev_charging = false and battery <= prev_battery
                          and extract(epoch from ts - prev_ts) * 1000 <= 2 * interval_ms + 5000
                          and play_ms + rebuffer_ms >= 0.9 * extract(epoch from ts - prev_ts) * 1000 measured
                from e
            )
            select g, cohort, count(*), sum(interval_ms), sum(cdn_bytes), sum(p2p_bytes_down), sum(p2p_bytes_up),
                   sum(play_ms), sum(rebuffer_ms), coalesce(sum(latency_ms), 0), count(latency_ms),
                   coalesce(sum(prev_battery - battery) filter (where measured), 0),
                   coalesce(sum(extract(epoch from ts - prev_ts) * 1000) filter (where measured), 0)::int8
            from d group by 1, 2 order by 1, 2""";

    /**
     * Per cohort: the sessions with playback and the sums of their watch time (x) and rebuffer time (y); then the
     * sessions with measured battery drain and the sums of their unplugged playback hours (x) and battery lost (y).
     * Drain is measured between consecutive unplugged heartbeats as the telemetry writer measures it.
     */
    private static final String HOLDOUT_SESSIONS = """
            with e as (
                select session_id, cohort, ts, interval_ms, play_ms, rebuffer_ms, battery, charging,
                       lag(ts) over w prev_ts, lag(battery) over w prev_battery, lag(charging) over w prev_charging
                from telemetry_events where tenant_id = ? and ts >= ? and ts < ? %s
                window w as (partition by session_id order by ts)
            ), pairs as (
                select session_id, cohort, play_ms, rebuffer_ms,
                       case when charging = false and prev_charging = false and battery <= prev_battery
                                 and extract(epoch from ts - prev_ts) * 1000 <= 2 * interval_ms + 5000
                                 and play_ms + rebuffer_ms >= 0.9 * extract(epoch from ts - prev_ts) * 1000
                            then extract(epoch from ts - prev_ts) / 3600 end drain_hours,
                       prev_battery - battery drain
                from e
            ), s as (
                select session_id, cohort, sum(play_ms + rebuffer_ms)::float8 watch, sum(rebuffer_ms)::float8 stalled,
                       sum(drain_hours)::float8 hours, sum(drain) filter (where drain_hours is not null)::float8 lost
                from pairs group by 1, 2
            )
            select cohort,
                   count(*) filter (where watch > 0), coalesce(sum(watch) filter (where watch > 0), 0),
                   coalesce(sum(stalled) filter (where watch > 0), 0), coalesce(sum(watch * watch), 0),
                   coalesce(sum(stalled * stalled), 0), coalesce(sum(watch * stalled), 0),
                   count(*) filter (where hours > 0), coalesce(sum(hours) filter (where hours > 0), 0),
                   coalesce(sum(lost) filter (where hours > 0), 0),
                   coalesce(sum(hours * hours) filter (where hours > 0), 0),
                   coalesce(sum(lost * lost) filter (where hours > 0), 0),
                   coalesce(sum(hours * lost) filter (where hours > 0), 0)
            from s group by cohort""";
}
