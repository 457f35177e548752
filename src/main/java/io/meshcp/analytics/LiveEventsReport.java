package io.meshcp.analytics;

import static io.meshcp.analytics.SumsSql.METRICS;
import static io.meshcp.analytics.SumsSql.NAMED_SUMS;
import static io.meshcp.analytics.SumsSql.SUMS;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import io.meshcp.policies.LiveEventView;
import io.meshcp.policies.LiveEvents;
import org.springframework.stereotype.Component;

/** What each live event's latency budget bought: its window against as long a stretch just before it. */
@Component
class LiveEventsReport {

    /** The most live events one report measures (the latest of the range). */
    private static final int MAX_LIVE_EVENTS = 500;

    private final ReportReads reads;

    private final LiveEvents liveEvents;

    LiveEventsReport(ReportReads reads, LiveEvents liveEvents) {
        this.reads = reads;
        this.liveEvents = liveEvents;
    }

    /**
     * Live events that overlap the range (cancelled ones excluded), most recent first, each with its
     * metrics during the window so far and during as long a stretch just before it, on the same stream.
     * One statement for every window: from the per-stream minute sums while they are kept, else from the
     * hour sums (a window then counts the whole hours it starts in).
     */
    List<Analytics.LiveEventReport> liveEvents(UUID tenantId, AnalyticsQuery query) {
        return reads.read(tenantId, query, Granularity.DAY.maxRange(), () -> {
            Instant now = reads.now();
            List<LiveEventView> events = liveEvents.onDuring(tenantId, query.streamId(), query.from(), query.to(),
                    MAX_LIVE_EVENTS);
            if (events.isEmpty()) {
                return List.of();
            }
            // Window 2i is event i's own (so far), 2i + 1 the stretch of the same length before it.
            StringBuilder windows = new StringBuilder();
            List<Object> args = new ArrayList<>();
            Instant minutesFrom = now.minus(SumsSql.MINUTES_KEPT);
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
                    args.addAll(List.of(args.size() / 5, event.streamId(), SumsSql.utc(window[0]), SumsSql.utc(window[1]),
                            !window[0].isBefore(minutesFrom)));
                }
            }
            args.add(tenantId);
            args.add(tenantId);
            BigDecimal price = reads.cdnPricePerGb(tenantId);
            Metrics.Sums[] sums = new Metrics.Sums[events.size() * 2];
            Double[] peaks = new Double[events.size() * 2];
            // Lateral aggregates, so each window reads its own stream's rows through the by-stream index; as a
            // join, the planner may read the tenant's whole month of rows once instead.
            reads.jdbc().query("""
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
                        sums[i] = SumsSql.sums(rows, 2);
                        peaks[i] = rows.getDouble(13);
                    }, args.toArray());
            List<Analytics.LiveEventReport> reports = new ArrayList<>();
            for (int i = 0; i < events.size(); i++) {
                LiveEventView event = events.get(i);
                Metrics during = Metrics.of(sums[2 * i] == null ? Metrics.Sums.NONE : sums[2 * i], lengths[i], price);
                Metrics before = Metrics.of(sums[2 * i + 1] == null ? Metrics.Sums.NONE : sums[2 * i + 1], lengths[i],
                        price);
                reports.add(new Analytics.LiveEventReport(event.id(), event.streamId(), event.name(), event.startsAt(),
                        event.endsAt(), event.overrides().latencyBudgetMs(), during, peaks[2 * i], before));
            }
            reports.sort(Comparator.comparing(Analytics.LiveEventReport::startsAt).reversed());
            return reports;
        });
    }
}
