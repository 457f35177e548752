package io.meshcp.analytics;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.TenantView;
import io.meshcp.database.TenantId;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.Network;
import io.meshcp.player.WireCode;
import io.meshcp.policies.LiveEventView;
import io.meshcp.policies.LiveEvents;
import io.meshcp.shared.FieldError;
import io.meshcp.shared.InvalidInputException;
import io.meshcp.shared.NotFoundException;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.SumsTable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queries over the telemetry sums (never the raw events), so each answers from a few thousand rows at
 * most whatever the traffic was. Every query is scoped to one tenant.
 */
@Service
public class Analytics {

    /** The metric columns every sums table has, in the order {@link #sums(ResultSet, int)} reads them. */
    private static final List<String> METRIC_COLUMNS = SumsTable.metrics();

    private static final String METRICS = String.join(", ", METRIC_COLUMNS);

    private static final String SUMS = METRIC_COLUMNS.stream().map(metric -> "sum(" + metric + ")")
            .collect(Collectors.joining(", "));

    /** The sums named as the metric columns, for a query that sums sums. */
    private static final String NAMED_SUMS = METRIC_COLUMNS.stream().map(metric -> "sum(" + metric + ") " + metric)
            .collect(Collectors.joining(", "));

    /** The most live events one report measures (the latest of the range). */
    private static final int MAX_LIVE_EVENTS = 500;

    /** The instants a query may name: ISO-8601's four-digit years, well inside PostgreSQL's timestamps. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** How long minute sums are kept (TelemetryPartitions expires them). */
    private static final Duration MINUTES_KEPT = SumsTable.retention(ChronoUnit.MINUTES);

    private final JdbcTemplate jdbc;

    private final Accounts accounts;

    private final StreamDirectory streams;

    private final LiveEvents liveEvents;

    private final QueryGate gate;

    private final TransactionTemplate readOnly;

    Analytics(JdbcTemplate jdbc, Accounts accounts, StreamDirectory streams, LiveEvents liveEvents,
            PlatformTransactionManager transactions,
            @Value("${meshcp.analytics.max-concurrent-queries:5}") int maxConcurrentQueries,
            @Value("${meshcp.analytics.max-queue-wait:2s}") Duration maxQueueWait) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.streams = streams;
        this.liveEvents = liveEvents;
        this.gate = new QueryGate(maxConcurrentQueries, maxQueueWait);
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
    }

    /** Runs one report's statements in a read-only transaction, when the gate lets it have a connection. */
    private <T> T read(Supplier<T> report) {
        return gate.pass(() -> readOnly.execute(status -> {
            roomToAggregate();
            return report.get();
        }));
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

    public List<Point> timeseries(@TenantId UUID tenantId, AnalyticsQuery query, Granularity granularity, Dimension breakdown) {
        return read(() -> {
            check(tenantId, query, granularity.maxRange());
            BigDecimal price = accounts.tenant(tenantId).cdnPricePerGb();
            Filter filter = filter(tenantId, query);
            String group = breakdown == null ? "null" : breakdown.column() + "::text";
            Set<Dimension> needs = needs(query, breakdown);
            SumsTable table = sumsTable(granularity.fromMinuteSums(), needs);
            Statement statement;
            if (granularity != Granularity.DAY) {
                // Points are the sums' own minutes or hours, the same spans in every zone: nothing to move into the
                // zone (which costs more than reading the rows). In a zone half an hour off UTC (India) hourly
                // points so start at half past the local hour, each holding exactly its hour. A table kept by
                // exactly the dimensions asked holds one row per point: then the rows are the points, read in
                // index order (a week of minutes: 3 ms instead of 30).
                statement = new Statement(table.oneRowPerBucket(needs)
                        ? "select bucket, %s, %s from %s where %s order by 1, 2".formatted(group, METRICS, table.table(),
                                filter.where())
                        : "select bucket, %s, %s from %s where %s group by 1, 2 order by 1, 2".formatted(group, SUMS,
                                table.table(), filter.where()), filter.args());
            }
            else {
                // The full minute sums hold nearly a row per heartbeat: too many to read an hour of them per day.
                SumsTable minutes = sumsTable(true, needs);
                statement = days(query, filter, group, table.table(),
                        minutes == SumsTable.MINUTE ? null : minutes.table());
            }
            Instant now = Instant.now();
            return jdbc.query(statement.sql(), (rows, n) -> {
                Instant t = rows.getObject(1, OffsetDateTime.class).toInstant();
                // The bucket under way holds only the time so far: over its whole length its viewers would dip.
                long lengthMs = Math.max(60_000, Math.min(length(t, granularity, query.zone()),
                        Duration.between(t, now).toMillis()));
                return new Point(t, rows.getString(2), Metrics.of(sums(rows, 3), lengthMs, price));
            }, statement.args().toArray());
        });
    }

    public Summary summary(@TenantId UUID tenantId, AnalyticsQuery query) {
        return read(() -> {
            check(tenantId, query, Granularity.DAY.maxRange());
            TenantView tenant = accounts.tenant(tenantId);
            BigDecimal price = tenant.cdnPricePerGb();
            Filter range = exactRange(tenantId, query, null);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            Map<String, Metrics> cohorts = new LinkedHashMap<>();
            Metrics.Sums[] total = {Metrics.Sums.NONE};
            jdbc.query("select cohort, %s from %s group by 1 order by 1".formatted(SUMS, range.where()),
                    rows -> {
                        Metrics.Sums sums = sums(rows, 2);
                        cohorts.put(rows.getString(1), Metrics.of(sums, rangeMs, price));
                        total[0] = total[0].plus(sums);
                    }, range.args().toArray());
            // The busiest minute, while minute sums are kept; beyond that the busiest hour's average.
            boolean recent = query.from().isAfter(Instant.now().minus(MINUTES_KEPT));
            Filter filter = filter(tenantId, query);
            Set<Dimension> needs = needs(query, null);
            SumsTable sums = sumsTable(recent, needs);
            String perBucket = sums.oneRowPerBucket(needs) ? "select viewer_ms v from %s where %s"
                    : "select sum(viewer_ms) v from %s where %s group by bucket";
            Double peak = jdbc.queryForObject("select max(v)::float8 / %d from (%s) p".formatted(
                    recent ? 60_000 : 3_600_000,
                    perBucket.formatted(sums.table(), filter.where())), Double.class, filter.args().toArray());
            return new Summary(Metrics.of(total[0], rangeMs, price), peak, cohorts, tenant.currency());
        });
    }

    /**
     * The p2p cohort against the holdout over [from, to): rebuffer ratio and battery drain per hour, each with a 95%
     * interval of the difference. Computed from the raw heartbeats, per playback session, so it covers no more
     * than the organisation keeps them ({@code rawSince}: the earliest instant it could see).
     */
    public record HoldoutComparison(CohortDifference rebufferRatio, CohortDifference batteryDrainPerHour,
            Instant rawSince) {
    }

    /** The longest range a holdout comparison reads raw heartbeats for. */
    private static final Duration HOLDOUT_MAX_RANGE = Duration.ofDays(31);

    public HoldoutComparison holdout(@TenantId UUID tenantId, AnalyticsQuery query) {
        return read(() -> {
            check(tenantId, query, HOLDOUT_MAX_RANGE);
            Filter raw = rawFilter(tenantId, query);
            Map<String, CohortDifference.Sessions[]> cohorts = new HashMap<>();
            jdbc.query(HOLDOUT_SESSIONS.formatted(raw.where()), rows -> {
                cohorts.put(rows.getString(1), new CohortDifference.Sessions[] {
                    new CohortDifference.Sessions(rows.getLong(2), rows.getDouble(3), rows.getDouble(4),
                            rows.getDouble(5), rows.getDouble(6), rows.getDouble(7)),
                    new CohortDifference.Sessions(rows.getLong(8), rows.getDouble(9), rows.getDouble(10),
                            rows.getDouble(11), rows.getDouble(12), rows.getDouble(13))});
            }, raw.args().toArray());
            CohortDifference.Sessions[] none = {CohortDifference.Sessions.NONE, CohortDifference.Sessions.NONE};
            CohortDifference.Sessions[] p2p = cohorts.getOrDefault(Cohort.P2P.code(), none);
            CohortDifference.Sessions[] holdout = cohorts.getOrDefault(Cohort.HOLDOUT.code(), none);
            Instant kept = Instant.now().minus(Duration.ofDays(accounts.tenant(tenantId).telemetryRetentionDays()));
            return new HoldoutComparison(CohortDifference.of(p2p[0], holdout[0], 1),
                    CohortDifference.of(p2p[1], holdout[1], 1), kept.isAfter(query.from()) ? kept : query.from());
        });
    }

    /**
     * The raw heartbeats' filter: tenant and range first (three parameters, for the statement's own "where"), then
     * " and ..." for each filter the query sets (the cohort is what the reports compare, so it is never filtered).
     */
    private static Filter rawFilter(UUID tenantId, AnalyticsQuery query) {
        List<Object> args = new ArrayList<>(List.of(tenantId, Timestamp.from(query.from()), Timestamp.from(query.to())));
        StringBuilder where = new StringBuilder();
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("stream_id", query.streamId());
        filters.put("rendition", query.rendition());
        filters.put("device", query.device());
        filters.put("network", query.network());
        filters.forEach((column, value) -> {
            if (value != null) {
                where.append(" and ").append(column).append(" = ?");
                args.add(value);
            }
        });
        return new Filter(where.toString(), args);
    }

    /** What heartbeats say about the player itself, which the sums do not keep: its player and our SDK's version. */
    public enum Client {
        PLAYER("player"), SDK("sdk");

        private final String column;

        Client(String column) {
            this.column = column;
        }
    }

    /**
     * The p2p cohort against the holdout within each player (hls.js 1.5, shaka 4.9) or SDK version, over [from, to):
     * read from the raw heartbeats, so up to 31 days and no further back than they are kept. A heartbeat that names
     * none falls in the group "unknown".
     */
    public List<CohortMetrics> clients(@TenantId UUID tenantId, AnalyticsQuery query, Client by) {
        return read(() -> {
            check(tenantId, query, HOLDOUT_MAX_RANGE);
            BigDecimal price = accounts.tenant(tenantId).cdnPricePerGb();
            Filter raw = rawFilter(tenantId, query);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return jdbc.query(CLIENT_SUMS.formatted(by.column, raw.where()), (rows, n) -> new CohortMetrics(
                    rows.getString(1), rows.getString(2), Metrics.of(sums(rows, 3), rangeMs, price)),
                    raw.args().toArray());
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

    /** A range's totals within one group of a breakdown (one stream, say). */
    public record GroupMetrics(String group, Metrics metrics) {
    }

    /** The totals of exactly [from, to) within each group of {@code by}, in no particular order. */
    public List<GroupMetrics> breakdown(@TenantId UUID tenantId, AnalyticsQuery query, Dimension by) {
        return read(() -> {
            check(tenantId, query, Granularity.DAY.maxRange());
            BigDecimal price = accounts.tenant(tenantId).cdnPricePerGb();
            Filter range = exactRange(tenantId, query, by);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return jdbc.query("select g, %s from %s group by 1".formatted(SUMS, range.where()),
                    (rows, n) -> new GroupMetrics(rows.getString(1), Metrics.of(sums(rows, 2), rangeMs, price)),
                    range.args().toArray());
        });
    }

    /** A range's metrics in one cohort and one group (null: all groups together). */
    public record CohortMetrics(String group, String cohort, Metrics metrics) {
    }

    /**
     * The p2p cohort against the holdout over exactly [from, to), overall ({@code by} null) or within each
     * group of {@code by} (each device, say): what p2p costs in battery and quality where it is used.
     */
    public List<CohortMetrics> cohorts(@TenantId UUID tenantId, AnalyticsQuery query, Dimension by) {
        return read(() -> {
            check(tenantId, query, Granularity.DAY.maxRange());
            BigDecimal price = accounts.tenant(tenantId).cdnPricePerGb();
            Filter range = exactRange(tenantId, query, by);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return jdbc.query("select g, cohort, %s from %s group by 1, 2 order by 1, 2".formatted(SUMS, range.where()),
                    (rows, n) -> new CohortMetrics(rows.getString(1), rows.getString(2),
                            Metrics.of(sums(rows, 3), rangeMs, price)), range.args().toArray());
        });
    }

    /** Offload at one level of concurrency: stream-minutes whose audience fell in [minViewers, maxViewers). */
    public record ConcurrencyBand(int minViewers, Integer maxViewers, Double offload, long streamMinutes,
            double viewerHours) {
    }

    /** What a live event's latency budget bought: the event's window against the same stretch just before it. */
    public record LiveEventReport(UUID eventId, UUID streamId, String name, Instant startsAt, Instant endsAt,
            Integer latencyBudgetMs, Metrics during, Double peakViewers, Metrics before) {
    }

    /** Upper bounds of the concurrency bands; a swarm's offload rises with its audience, then levels off. */
    private static final int[] BANDS = {10, 50, 100, 500, 1_000, 5_000};

    /** Up to this range each stream-minute is placed by its own audience; beyond it, each stream-hour. */
    private static final Duration CONCURRENCY_BY_MINUTE = Duration.ofDays(1);

    /**
     * Offload against concurrency: each stream's minutes grouped by how many viewers watched it then. Over
     * more than a day, stream-hours by their average audience (counted as 60 stream-minutes each), so a
     * month reads thousands of rows instead of half a million. Ranges up to 35 days.
     */
    public List<ConcurrencyBand> concurrency(@TenantId UUID tenantId, AnalyticsQuery query) {
        return read(() -> {
            check(tenantId, query, MINUTES_KEPT);
            Filter filter = filter(tenantId, query);
            boolean byMinute = Duration.between(query.from(), query.to()).compareTo(CONCURRENCY_BY_MINUTE) <= 0;
            long bucketMs = byMinute ? 60_000 : 3_600_000;
            StringBuilder band = new StringBuilder("case");
            for (int i = 0; i < BANDS.length; i++) {
                band.append(" when viewers < ").append(BANDS[i]).append(" then ").append(i);
            }
            band.append(" else ").append(BANDS.length).append(" end");
            Set<Dimension> needs = needs(query, Dimension.STREAM);
            SumsTable sums = sumsTable(byMinute, needs);
            // The per-stream minute sums hold one row per stream-minute already: no grouping (a day: 8 ms, not 21).
            String streamBuckets = sums.oneRowPerBucket(needs)
                    ? "select viewer_ms / %d.0 viewers, p2p_bytes_down p2p, cdn_bytes cdn, viewer_ms from %s where %s"
                    : "select sum(viewer_ms) / %d.0 viewers, sum(p2p_bytes_down) p2p, sum(cdn_bytes) cdn, "
                            + "sum(viewer_ms) viewer_ms from %s where %s group by stream_id, bucket";
            return jdbc.query("""
                    select %s band, sum(p2p)::float8 / nullif(sum(p2p + cdn), 0), count(*), sum(viewer_ms)
                    from (%s) m
                    group by 1 order by 1""".formatted(band, streamBuckets.formatted(bucketMs, sums.table(),
                    filter.where())),
                    (rows, n) -> {
                        int i = rows.getInt(1);
                        double offload = rows.getDouble(2);
                        return new ConcurrencyBand(i == 0 ? 0 : BANDS[i - 1], i < BANDS.length ? BANDS[i] : null,
                                rows.wasNull() ? null : offload, rows.getLong(3) * (bucketMs / 60_000),
                                rows.getLong(4) / 3_600_000.0);
                    }, filter.args().toArray());
        });
    }

    /**
     * Live events that overlap the range (cancelled ones excluded), most recent first, each with its
     * metrics during the window so far and during as long a stretch just before it, on the same stream.
     * One statement for every window: from the per-stream minute sums while they are kept, else from the
     * hour sums (a window then counts the whole hours it starts in).
     */
    public List<LiveEventReport> liveEvents(@TenantId UUID tenantId, AnalyticsQuery query) {
        return read(() -> {
            check(tenantId, query, Granularity.DAY.maxRange());
            Instant now = Instant.now();
            List<LiveEventView> events = liveEvents.onDuring(tenantId, query.streamId(), query.from(), query.to(),
                    MAX_LIVE_EVENTS);
            if (events.isEmpty()) {
                return List.of();
            }
            // Window 2i is event i's own (so far), 2i + 1 the stretch of the same length before it.
            StringBuilder windows = new StringBuilder();
            List<Object> args = new ArrayList<>();
            Instant minutesFrom = now.minus(MINUTES_KEPT);
            long[] lengths = new long[events.size()];
            for (int i = 0; i < events.size(); i++) {
                LiveEventView event = events.get(i);
                Instant end = event.endsAt().isBefore(now) ? event.endsAt() : now;
                Duration length = Duration.between(event.startsAt(), end);
                if (length.compareTo(Duration.ofMinutes(1)) < 0) {
                    length = Duration.ofMinutes(1);
                }
                lengths[i] = length.toMillis();
                Instant before = event.startsAt().minus(length);
                for (Instant[] window : List.of(new Instant[] {event.startsAt(), event.startsAt().plus(length)},
                        new Instant[] {before, event.startsAt()})) {
                    windows.append(windows.isEmpty() ? "" : ", ")
                            .append("(?::int, ?::uuid, ?::timestamptz, ?::timestamptz, ?::boolean)");
                    args.addAll(List.of(args.size() / 5, event.streamId(), utc(window[0]), utc(window[1]),
                            !window[0].isBefore(minutesFrom)));
                }
            }
            args.add(tenantId);
            args.add(tenantId);
            BigDecimal price = accounts.tenant(tenantId).cdnPricePerGb();
            Metrics.Sums[] sums = new Metrics.Sums[events.size() * 2];
            Double[] peaks = new Double[events.size() * 2];
            // Lateral aggregates, so each window reads its own stream's rows through the by-stream index; as a
            // join, the planner may read the tenant's whole month of rows once instead.
            jdbc.query("""
                    with w(i, stream_id, from_ts, to_ts, by_minute) as (values %s)
                    select w.i, s.* from w cross join lateral (
                        select %s, max(viewer_ms)::float8 / 60000 from telemetry_minute_stream
                        where w.by_minute and tenant_id = ? and stream_id = w.stream_id and bucket >= w.from_ts
                            and bucket < w.to_ts
                        union all
                        select %s, max(viewer_ms)::float8 / 3600000 from (
                            select %s from telemetry_hour_stream
                            where not w.by_minute and tenant_id = ? and stream_id = w.stream_id
                                and bucket >= date_trunc('hour', w.from_ts) and bucket < w.to_ts
                            group by bucket) h) s(%s, peak)
                    where s.events is not null""".formatted(windows, SUMS, SUMS, NAMED_SUMS, METRICS),
                    rows -> {
                        int i = rows.getInt(1);
                        sums[i] = sums(rows, 2);
                        peaks[i] = rows.getDouble(13);
                    }, args.toArray());
            List<LiveEventReport> reports = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                LiveEventView event = events.get(i);
                Metrics during = Metrics.of(sums[2 * i] == null ? Metrics.Sums.NONE : sums[2 * i], lengths[i], price);
                Metrics before = Metrics.of(sums[2 * i + 1] == null ? Metrics.Sums.NONE : sums[2 * i + 1], lengths[i],
                        price);
                reports.add(new LiveEventReport(event.id(), event.streamId(), event.name(), event.startsAt(),
                        event.endsAt(), event.overrides().latencyBudgetMs(), during, peaks[2 * i], before));
            }
            reports.sort(Comparator.comparing(LiveEventReport::startsAt).reversed());
            return reports;
        });
    }

    /**
     * Days beginning at midnight in the query's zone, from the hour sums. Where midnight falls inside an hour (every
     * day in a zone half an hour off UTC), the hour sums count that hour wholly in the day it starts in; its minutes
     * from midnight on, from {@code minuteSums} while they are kept, are moved to the next day. Older hours, or all
     * of them without {@code minuteSums}, count by their start, so those days begin at the nearest hour.
     */
    private static Statement days(AnalyticsQuery query, Filter filter, String group, String hourSums,
            String minuteSums) {
        String zone = sqlZone(query.zone());
        List<Object> args = new ArrayList<>(List.of(zone, zone));
        args.addAll(filter.args());
        String rows = "select date_trunc('day', bucket at time zone ?) at time zone ? as day, %s g, %s from %s where %s"
                .formatted(group, METRICS, hourSums, filter.where());
        List<SplitHour> split = minuteSums == null ? List.of() : hoursSplitByMidnight(query);
        if (!split.isEmpty()) {
            // The moved minutes summed per hour first (a few hundred rows), then taken from one day, added to the next.
            // PostgreSQL sums bigint as numeric: cast back, or the union would make the hour rows numeric too, and
            // summing those is several times slower (battery_drain is the one double column).
            String signed = METRIC_COLUMNS.stream().map(metric -> metric.equals("battery_drain") ? "d.sign * m." + metric
                    : "(d.sign * m." + metric + ")::int8").collect(Collectors.joining(", "));
            rows += """

                    union all
                    select d.day, m.g, %s from (
                        select h.day, h.midnight, %s g, %s
                        from unnest(?::timestamptz[], ?::timestamptz[], ?::timestamptz[]) h(start, day, midnight)
                        join %s on bucket >= h.midnight and bucket < h.start + interval '1 hour'
                        where %s group by 1, 2, 3) m
                    cross join lateral (values (m.day, -1), (m.midnight, 1)) d(day, sign)""".formatted(signed, group,
                    NAMED_SUMS, minuteSums, filter.where());
            args.add(textArray(split, SplitHour::start));
            args.add(textArray(split, SplitHour::day));
            args.add(textArray(split, SplitHour::midnight));
            args.addAll(filter.args());
        }
        // A day whose only heartbeats were moved to the next one is no point at all, not a point of zeros.
        return new Statement("select day, g, %s from (%s) r group by 1, 2 having sum(events) <> 0 order by 1, 2"
                .formatted(NAMED_SUMS, rows), args);
    }

    /** An array parameter as text, which unnest reads once (cast in a WHERE clause it would be read for every row). */
    private static String textArray(List<SplitHour> hours, Function<SplitHour, Instant> column) {
        return hours.stream().map(column).map(Instant::toString).collect(Collectors.joining(",", "{", "}"));
    }

    /** An hour that a local midnight falls in, the start of the local day it begins in, and that midnight. */
    private record SplitHour(Instant start, Instant day, Instant midnight) {
    }

    /**
     * The hours of the range, within the minute sums' 35 days, in which a local midnight of the query's zone falls
     * (every day in a zone half an hour off UTC; none in most zones).
     */
    private static List<SplitHour> hoursSplitByMidnight(AnalyticsQuery query) {
        ZoneId zone = query.zone();
        Instant minutesFrom = Instant.now().minus(MINUTES_KEPT);
        List<SplitHour> hours = new ArrayList<>();
        for (LocalDate date = LocalDate.ofInstant(query.from(), zone); ; date = date.plusDays(1)) {
            Instant midnight = date.atStartOfDay(zone).toInstant();
            Instant hour = midnight.truncatedTo(ChronoUnit.HOURS);
            if (!hour.isBefore(query.to())) {
                return hours;
            }
            if (hour.isBefore(midnight) && !hour.isBefore(query.from()) && !hour.isBefore(minutesFrom)) {
                hours.add(new SplitHour(hour, date.minusDays(1).atStartOfDay(zone).toInstant(), midnight));
            }
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    public List<ReasonShare> ineligibility(@TenantId UUID tenantId, AnalyticsQuery query) {
        return read(() -> {
            check(tenantId, query, Granularity.DAY.maxRange());
            Filter all = filter(tenantId, new AnalyticsQuery(query.from(), query.to(), query.zone(), query.streamId(),
                    null, null, query.device(), query.network()));
            Long viewerMs = jdbc.queryForObject("select sum(viewer_ms) from %s where %s"
                    .formatted(sums(false, needs(query, null)), all.where()), Long.class, all.args().toArray());
            // Without a filter, the per-tenant reasons (V9): a month is thousands of rows instead of 130,000.
            boolean whole = query.streamId() == null && query.device() == null && query.network() == null;
            return jdbc.query("select reason, sum(viewer_ms) from %s where %s group by 1 order by 2 desc, 1".formatted(
                    whole ? "telemetry_reasons_hour_tenant" : "telemetry_reasons_hour", all.where()),
                    (rows, n) -> new ReasonShare(rows.getString(1),
                            rows.getLong(2) / 3_600_000.0, viewerMs == null || viewerMs == 0 ? null
                                    : (double) rows.getLong(2) / viewerMs), all.args().toArray());
        });
    }

    private void check(UUID tenantId, AnalyticsQuery query, Duration maxRange) {
        List<FieldError> errors = new ArrayList<>();
        if (query.from() == null) {
            errors.add(new FieldError("from", "is required, an ISO-8601 instant"));
        }
        else if (outsideYears(query.from())) {
            errors.add(new FieldError("from", "must be within the years 1 to 9999"));
        }
        if (query.to() == null) {
            errors.add(new FieldError("to", "is required, an ISO-8601 instant"));
        }
        else if (outsideYears(query.to())) {
            errors.add(new FieldError("to", "must be within the years 1 to 9999"));
        }
        if (query.from() != null && query.to() != null && !outsideYears(query.from()) && !outsideYears(query.to())) {
            if (!query.from().isBefore(query.to())) {
                errors.add(new FieldError("to", "must be after from"));
            }
            else if (Duration.between(query.from(), query.to()).compareTo(maxRange) > 0) {
                errors.add(new FieldError("to", "the range may span at most " + maxRange.toDays()
                        + " days at this granularity"));
            }
        }
        if (query.cohort() != null && WireCode.parse(Cohort.class, query.cohort()).isEmpty()) {
            errors.add(new FieldError("cohort", WireCode.mustBeOneOf(Cohort.class)));
        }
        if (query.device() != null && WireCode.parse(DeviceClass.class, query.device()).isEmpty()) {
            errors.add(new FieldError("device", WireCode.mustBeOneOf(DeviceClass.class)));
        }
        if (query.network() != null && WireCode.parse(Network.class, query.network()).isEmpty()) {
            errors.add(new FieldError("network", WireCode.mustBeOneOf(Network.class)));
        }
        if (query.rendition() != null && !query.rendition().matches("[A-Za-z0-9_.-]{1,64}")) {
            errors.add(new FieldError("rendition", "must be 1 to 64 of [A-Za-z0-9_.-]"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (query.streamId() != null && streams.byId(tenantId, query.streamId()).isEmpty()) {
            throw new NotFoundException("stream " + query.streamId());
        }
    }

    private static boolean outsideYears(Instant instant) {
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST);
    }

    /**
     * The sums of exactly [from, to): whole hours from the hour sums, the partial hours at either end from
     * the minute sums (kept 35 days; older ends count whole hours by their start).
     */
    private static Filter exactRange(UUID tenantId, AnalyticsQuery query, Dimension by) {
        Instant firstHour = query.from().truncatedTo(ChronoUnit.HOURS);
        if (firstHour.isBefore(query.from())) {
            firstHour = firstHour.plus(1, ChronoUnit.HOURS);
        }
        Instant lastHour = query.to().truncatedTo(ChronoUnit.HOURS);
        Filter hours = filter(tenantId, new AnalyticsQuery(firstHour, lastHour.isAfter(firstHour) ? lastHour : firstHour,
                query.zone(), query.streamId(), query.rendition(), query.cohort(), query.device(), query.network()));
        Instant headEnd = firstHour.isBefore(query.to()) ? firstHour : query.to();
        Instant tailStart = lastHour.isAfter(firstHour) ? lastHour : headEnd;
        Filter head = filter(tenantId, new AnalyticsQuery(query.from(), headEnd, query.zone(), query.streamId(),
                query.rendition(), query.cohort(), query.device(), query.network()));
        Filter tail = filter(tenantId, new AnalyticsQuery(tailStart, query.to(), query.zone(), query.streamId(),
                query.rendition(), query.cohort(), query.device(), query.network()));
        List<Object> args = new ArrayList<>(hours.args());
        args.addAll(head.args());
        args.addAll(tail.args());
        // Summaries are also given per cohort.
        Set<Dimension> needs = EnumSet.of(Dimension.COHORT);
        needs.addAll(needs(query, by));
        String hourSums = sums(false, needs);
        String minuteSums = sums(true, needs);
        String part = "select cohort, " + (by == null ? "null" : by.column()) + "::text g, " + METRICS
                + " from %s where %s";
        return new Filter("(" + part.formatted(hourSums, hours.where()) + " union all "
                + part.formatted(minuteSums, head.where()) + " union all " + part.formatted(minuteSums, tail.where())
                + ") r", args);
    }

    /**
     * Settings for this transaction only. A month of minute sums is grouped by tens of thousands of buckets:
     * with PostgreSQL's default 4 MB of work_mem the hash tables spill to disk. Statements prepared on the
     * server switch to a generic plan after five runs, planned for a few hundred rows whatever the range;
     * for a month it sorts on disk and takes three times as long, so each run is planned for its own
     * parameters (a millisecond). JIT compiles for longer than these queries run.
     */
    private void roomToAggregate() {
        jdbc.query("select set_config('work_mem', '64MB', true), set_config('plan_cache_mode', 'force_custom_plan', true), "
                + "set_config('jit', 'off', true)", rows -> {
                });
    }

    /** The dimensions a query filters or breaks down by. */
    private static Set<Dimension> needs(AnalyticsQuery query, Dimension breakdown) {
        Set<Dimension> needs = EnumSet.noneOf(Dimension.class);
        if (query.streamId() != null) {
            needs.add(Dimension.STREAM);
        }
        if (query.rendition() != null) {
            needs.add(Dimension.RENDITION);
        }
        if (query.cohort() != null) {
            needs.add(Dimension.COHORT);
        }
        if (query.device() != null) {
            needs.add(Dimension.DEVICE);
        }
        if (query.network() != null) {
            needs.add(Dimension.NETWORK);
        }
        if (breakdown != null) {
            needs.add(breakdown);
        }
        return needs;
    }

    /** The coarsest sums that keep every dimension needed: a month of those is thousands of rows, not millions. */
    private static String sums(boolean minutes, Set<Dimension> needs) {
        return sumsTable(minutes, needs).table();
    }

    private static SumsTable sumsTable(boolean minutes, Set<Dimension> needs) {
        return SumsTable.coarsestKeeping(minutes ? ChronoUnit.MINUTES : ChronoUnit.HOURS, needs);
    }

    private static Filter filter(UUID tenantId, AnalyticsQuery query) {
        StringBuilder where = new StringBuilder("tenant_id = ? and bucket >= ? and bucket < ?");
        List<Object> args = new ArrayList<>(List.of(tenantId, utc(query.from()), utc(query.to())));
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put("stream_id", query.streamId());
        equals.put("rendition", query.rendition());
        equals.put("cohort", query.cohort());
        equals.put("device", query.device());
        equals.put("network", query.network());
        equals.forEach((column, value) -> {
            if (value != null) {
                where.append(" and ").append(column).append(" = ?");
                args.add(value);
            }
        });
        return new Filter(where.toString(), args);
    }

    private static Metrics.Sums sums(ResultSet rows, int first) throws SQLException {
        return new Metrics.Sums(rows.getLong(first), rows.getLong(first + 1), rows.getLong(first + 2),
                rows.getLong(first + 3), rows.getLong(first + 4), rows.getLong(first + 5), rows.getLong(first + 6),
                rows.getLong(first + 7), rows.getLong(first + 8), rows.getDouble(first + 9), rows.getLong(first + 10));
    }

    /**
     * The zone as PostgreSQL's {@code at time zone} reads it. A region id is the same in both; a fixed offset
     * given as text is read the POSIX way, positive west of Greenwich, so its sign flips.
     */
    private static String sqlZone(ZoneId zone) {
        if (zone.normalized() instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : ZoneOffset.ofTotalSeconds(-offset.getTotalSeconds()).getId();
        }
        return zone.getId();
    }

    /** A bucket's length in milliseconds; a local day is 23 or 25 hours when the clocks change. */
    private static long length(Instant start, Granularity granularity, ZoneId zone) {
        return switch (granularity) {
            case MINUTE -> 60_000;
            case HOUR -> 3_600_000;
            case DAY -> Duration.between(start, start.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone)
                    .toInstant()).toMillis();
        };
    }

    private record Filter(String where, List<Object> args) {
    }

    private record Statement(String sql, List<Object> args) {
    }
}
