package io.meshcp.analytics;

import static io.meshcp.analytics.SumsSql.METRICS;
import static io.meshcp.analytics.SumsSql.METRIC_COLUMNS;
import static io.meshcp.analytics.SumsSql.NAMED_SUMS;
import static io.meshcp.analytics.SumsSql.SUMS;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.SumsTable;
import org.springframework.stereotype.Component;

/** The metrics per minute, hour or local day, optionally per group of one dimension. */
@Component
class TimeSeriesReport {

    private final ReportReads reads;

    TimeSeriesReport(ReportReads reads) {
        this.reads = reads;
    }

    List<Analytics.Point> timeseries(UUID tenantId, AnalyticsQuery query, Granularity granularity,
            Dimension breakdown) {
        return reads.read(tenantId, query, granularity.maxRange(), () -> {
            BigDecimal price = reads.cdnPricePerGb(tenantId);
            Instant now = reads.now();
            SumsSql.Filter filter = SumsSql.filter(tenantId, query);
            String group = breakdown == null ? "null" : breakdown.column() + "::text";
            Set<Dimension> needs = SumsSql.needs(query, breakdown);
            SumsTable table = SumsSql.table(granularity.fromMinuteSums(), needs);
            SumsSql.Statement statement;
            if (granularity != Granularity.DAY) {
                // Points are the sums' own minutes or hours, the same spans in every zone: nothing to move into the
                // zone (which costs more than reading the rows). In a zone half an hour off UTC (India) hourly
                // points so start at half past the local hour, each holding exactly its hour. A table kept by
                // exactly the dimensions asked holds one row per point: then the rows are the points, read in
                // index order (a week of minutes: 3 ms instead of 30).
                statement = new SumsSql.Statement(table.oneRowPerBucket(needs)
                        ? "select bucket, %s, %s from %s where %s order by 1, 2".formatted(group, METRICS, table.table(),
                                filter.where())
                        : "select bucket, %s, %s from %s where %s group by 1, 2 order by 1, 2".formatted(group, SUMS,
                                table.table(), filter.where()), filter.args());
            }
            else {
                // The full minute sums hold nearly a row per heartbeat: too many to read an hour of them per day.
                SumsTable minutes = SumsSql.table(true, needs);
                statement = days(query, filter, group, table.table(),
                        minutes == SumsTable.MINUTE ? null : minutes.table(), now);
            }
            return reads.jdbc().query(statement.sql(), (rows, n) -> {
                Instant t = rows.getObject(1, OffsetDateTime.class).toInstant();
                // The bucket under way holds only the time so far: over its whole length its viewers would dip.
                long lengthMs = Math.max(60_000, Math.min(length(t, granularity, query.zone()),
                        Duration.between(t, now).toMillis()));
                return new Analytics.Point(t, rows.getString(2), Metrics.of(SumsSql.sums(rows, 3), lengthMs, price));
            }, statement.args().toArray());
        });
    }

    /**
     * Days beginning at midnight in the query's zone, from the hour sums. Where midnight falls inside an hour (every
     * day in a zone half an hour off UTC), the hour sums count that hour wholly in the day it starts in; its minutes
     * from midnight on, from {@code minuteSums} while they are kept, are moved to the next day. Older hours, or all
     * of them without {@code minuteSums}, count by their start, so those days begin at the nearest hour.
     */
    private static SumsSql.Statement days(AnalyticsQuery query, SumsSql.Filter filter, String group, String hourSums,
            String minuteSums, Instant now) {
        String zone = SumsSql.sqlZone(query.zone());
        List<Object> args = new ArrayList<>(List.of(zone, zone));
        args.addAll(filter.args());
        String rows = "select date_trunc('day', bucket at time zone ?) at time zone ? as day, %s g, %s from %s where %s"
                .formatted(group, METRICS, hourSums, filter.where());
        List<SplitHour> split = minuteSums == null ? List.of() : hoursSplitByMidnight(query, now);
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
        return new SumsSql.Statement("select day, g, %s from (%s) r group by 1, 2 having sum(events) <> 0 order by 1, 2"
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
    private static List<SplitHour> hoursSplitByMidnight(AnalyticsQuery query, Instant now) {
        ZoneId zone = query.zone();
        Instant minutesFrom = now.minus(SumsSql.MINUTES_KEPT);
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

    /** A bucket's length in milliseconds; a local day is 23 or 25 hours when the clocks change. */
    private static long length(Instant start, Granularity granularity, ZoneId zone) {
        return switch (granularity) {
            case MINUTE -> 60_000;
            case HOUR -> 3_600_000;
            case DAY -> Duration.between(start, start.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone)
                    .toInstant()).toMillis();
        };
    }
}
