package io.meshcp.analytics;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.SumsTable;

/**
 * The SQL every report is built from: which of telemetry's sums tables to read, the tenant, range and filters as a
 * WHERE clause with its parameters, the metric columns and their sums, and the one reading of them from a row.
 */
final class SumsSql {

    /** The metric columns every sums table has, in the order {@link #sums(ResultSet, int)} reads them. */
    static final List<String> METRIC_COLUMNS = SumsTable.metrics();

    static final String METRICS = String.join(", ", METRIC_COLUMNS);

    static final String SUMS = METRIC_COLUMNS.stream().map(metric -> "sum(" + metric + ")")
            .collect(Collectors.joining(", "));

    /** The sums named as the metric columns, for a query that sums sums. */
    static final String NAMED_SUMS = METRIC_COLUMNS.stream().map(metric -> "sum(" + metric + ") " + metric)
            .collect(Collectors.joining(", "));

    /** How long minute sums are kept (TelemetryPartitions expires them). */
    static final Duration MINUTES_KEPT = SumsTable.retention(ChronoUnit.MINUTES);

    private SumsSql() {
    }

    /** A WHERE clause (or, for {@link #exactRange}, a FROM item) and its parameters, in order. */
    record Filter(String where, List<Object> args) {
    }

    /** A whole statement and its parameters. */
    record Statement(String sql, List<Object> args) {
    }

    /** The sums' filter: tenant and range, then each dimension the query sets to one value. */
    static Filter filter(UUID tenantId, AnalyticsQuery query) {
        String where = "tenant_id = ? and bucket >= ? and bucket < ?";
        List<Object> args = new ArrayList<>(List.of(tenantId, utc(query.from()), utc(query.to())));
        Map<String, Object> equals = new LinkedHashMap<>();
        equals.put("stream_id", query.streamId());
        equals.put("rendition", query.rendition());
        equals.put("cohort", query.cohort());
        equals.put("device", query.device());
        equals.put("network", query.network());
        return new Filter(where + equalities(equals, args), args);
    }

    /**
     * The raw heartbeats' filter: tenant and range first (three parameters, for the statement's own "where"), then
     * " and ..." for each filter the query sets (the cohort is what the reports compare, so it is never filtered).
     */
    static Filter rawFilter(UUID tenantId, AnalyticsQuery query) {
        List<Object> args = new ArrayList<>(List.of(tenantId, Timestamp.from(query.from()), Timestamp.from(query.to())));
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("stream_id", query.streamId());
        filters.put("rendition", query.rendition());
        filters.put("device", query.device());
        filters.put("network", query.network());
        return new Filter(equalities(filters, args), args);
    }

    /**
     * The sums of exactly [from, to) as a FROM item of rows (cohort, group {@code g}, metrics): whole hours from the
     * hour sums, the partial hours at either end from the minute sums (kept 35 days; older ends count whole hours by
     * their start).
     */
    static Filter exactRange(UUID tenantId, AnalyticsQuery query, Dimension by) {
        Instant firstHour = query.from().truncatedTo(ChronoUnit.HOURS);
        if (firstHour.isBefore(query.from())) {
            firstHour = firstHour.plus(1, ChronoUnit.HOURS);
        }
        Instant lastHour = query.to().truncatedTo(ChronoUnit.HOURS);
        Filter hours = filter(tenantId, query.between(firstHour, lastHour.isAfter(firstHour) ? lastHour : firstHour));
        Instant headEnd = firstHour.isBefore(query.to()) ? firstHour : query.to();
        Instant tailStart = lastHour.isAfter(firstHour) ? lastHour : headEnd;
        Filter head = filter(tenantId, query.between(query.from(), headEnd));
        Filter tail = filter(tenantId, query.between(tailStart, query.to()));
        List<Object> args = new ArrayList<>(hours.args());
        args.addAll(head.args());
        args.addAll(tail.args());
        // Summaries are also given per cohort.
        Set<Dimension> needs = EnumSet.of(Dimension.COHORT);
        needs.addAll(needs(query, by));
        String hourSums = table(false, needs).table();
        String minuteSums = table(true, needs).table();
        String part = "select cohort, " + (by == null ? "null" : by.column()) + "::text g, " + METRICS
                + " from %s where %s";
        return new Filter("(" + part.formatted(hourSums, hours.where()) + " union all "
                + part.formatted(minuteSums, head.where()) + " union all " + part.formatted(minuteSums, tail.where())
                + ") r", args);
    }

    /** " and column = ?" for each column given a value, whose value joins {@code args}. */
    private static String equalities(Map<String, Object> values, List<Object> args) {
        StringBuilder where = new StringBuilder();
        values.forEach((column, value) -> {
            if (value != null) {
                where.append(" and ").append(column).append(" = ?");
                args.add(value);
            }
        });
        return where.toString();
    }

    /** The dimensions a query filters or breaks down by. */
    static Set<Dimension> needs(AnalyticsQuery query, Dimension breakdown) {
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
    static SumsTable table(boolean minutes, Set<Dimension> needs) {
        return SumsTable.coarsestKeeping(minutes ? ChronoUnit.MINUTES : ChronoUnit.HOURS, needs);
    }

    /** The metric columns (or their sums) read from {@code first} on. */
    static Metrics.Sums sums(ResultSet rows, int first) throws SQLException {
        return new Metrics.Sums(rows.getLong(first), rows.getLong(first + 1), rows.getLong(first + 2),
                rows.getLong(first + 3), rows.getLong(first + 4), rows.getLong(first + 5), rows.getLong(first + 6),
                rows.getLong(first + 7), rows.getLong(first + 8), rows.getDouble(first + 9), rows.getLong(first + 10));
    }

    static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    /**
     * The zone as PostgreSQL's {@code at time zone} reads it. A region id is the same in both; a fixed offset
     * given as text is read the POSIX way, positive west of Greenwich, so its sign flips.
     */
    static String sqlZone(ZoneId zone) {
        if (zone.normalized() instanceof ZoneOffset offset) {
            return offset.getTotalSeconds() == 0 ? "UTC" : ZoneOffset.ofTotalSeconds(-offset.getTotalSeconds()).getId();
        }
        return zone.getId();
    }
}
