package io.meshcp.analytics;

import static io.meshcp.analytics.SumsSql.SUMS;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.meshcp.accounts.TenantView;
import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.SumsTable;
import org.springframework.stereotype.Component;

/** A range's totals: overall and per cohort, per group of a dimension, and the reasons p2p was limited. */
@Component
class TotalsReport {

    private final ReportReads reads;

    TotalsReport(ReportReads reads) {
        this.reads = reads;
    }

    Analytics.Summary summary(UUID tenantId, AnalyticsQuery query) {
        return reads.read(tenantId, query, Granularity.DAY.maxRange(), () -> {
            TenantView tenant = reads.accounts().tenant(tenantId);
            BigDecimal price = tenant.cdnPricePerGb();
            SumsSql.Filter range = SumsSql.exactRange(tenantId, query, null);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            Map<String, Metrics> cohorts = new LinkedHashMap<>();
            Metrics.Sums[] total = {Metrics.Sums.NONE};
            reads.jdbc().query("select cohort, %s from %s group by 1 order by 1".formatted(SUMS, range.where()),
                    rows -> {
                        Metrics.Sums sums = SumsSql.sums(rows, 2);
                        cohorts.put(rows.getString(1), Metrics.of(sums, rangeMs, price));
                        total[0] = total[0].plus(sums);
                    }, range.args().toArray());
            // The busiest minute, while minute sums are kept; beyond that the busiest hour's average.
            boolean recent = query.from().isAfter(reads.now().minus(SumsSql.MINUTES_KEPT));
            SumsSql.Filter filter = SumsSql.filter(tenantId, query);
            Set<Dimension> needs = SumsSql.needs(query, null);
            SumsTable sums = SumsSql.table(recent, needs);
            String perBucket = sums.oneRowPerBucket(needs) ? "select viewer_ms v from %s where %s"
                    : "select sum(viewer_ms) v from %s where %s group by bucket";
            Double peak = reads.jdbc().queryForObject("select max(v)::float8 / %d from (%s) p".formatted(
                    recent ? 60_000 : 3_600_000,
                    perBucket.formatted(sums.table(), filter.where())), Double.class, filter.args().toArray());
            return new Analytics.Summary(Metrics.of(total[0], rangeMs, price), peak, cohorts, tenant.currency());
        });
    }

    /** The totals of exactly [from, to) within each group of {@code by}, in no particular order. */
    List<Analytics.GroupMetrics> breakdown(UUID tenantId, AnalyticsQuery query, Dimension by) {
        return reads.read(tenantId, query, Granularity.DAY.maxRange(), () -> {
            BigDecimal price = reads.cdnPricePerGb(tenantId);
            SumsSql.Filter range = SumsSql.exactRange(tenantId, query, by);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return reads.jdbc().query("select g, %s from %s group by 1".formatted(SUMS, range.where()),
                    (rows, n) -> new Analytics.GroupMetrics(rows.getString(1),
                            Metrics.of(SumsSql.sums(rows, 2), rangeMs, price)), range.args().toArray());
        });
    }

    /**
     * The p2p cohort against the holdout over exactly [from, to), overall ({@code by} null) or within each
     * group of {@code by} (each device, say): what p2p costs in battery and quality where it is used.
     */
    List<Analytics.CohortMetrics> cohorts(UUID tenantId, AnalyticsQuery query, Dimension by) {
        return reads.read(tenantId, query, Granularity.DAY.maxRange(), () -> {
            BigDecimal price = reads.cdnPricePerGb(tenantId);
            SumsSql.Filter range = SumsSql.exactRange(tenantId, query, by);
            long rangeMs = Duration.between(query.from(), query.to()).toMillis();
            return reads.jdbc().query("select g, cohort, %s from %s group by 1, 2 order by 1, 2".formatted(SUMS,
                    range.where()), (rows, n) -> new Analytics.CohortMetrics(rows.getString(1), rows.getString(2),
                            Metrics.of(SumsSql.sums(rows, 3), rangeMs, price)), range.args().toArray());
        });
    }

    /** Why players were not (fully) p2p, each reason's playback hours and share of all playback. */
    List<Analytics.ReasonShare> ineligibility(UUID tenantId, AnalyticsQuery query) {
        return reads.read(tenantId, query, Granularity.DAY.maxRange(), () -> {
            SumsSql.Filter all = SumsSql.filter(tenantId, new AnalyticsQuery(query.from(), query.to(), query.zone(),
                    query.streamId(), null, null, query.device(), query.network()));
            Long viewerMs = reads.jdbc().queryForObject("select sum(viewer_ms) from %s where %s"
                    .formatted(SumsSql.table(false, SumsSql.needs(query, null)).table(), all.where()), Long.class,
                    all.args().toArray());
            // Without a filter, the per-tenant reasons (V9): a month is thousands of rows instead of 130,000.
            boolean whole = query.streamId() == null && query.device() == null && query.network() == null;
            return reads.jdbc().query("select reason, sum(viewer_ms) from %s where %s group by 1 order by 2 desc, 1"
                    .formatted(whole ? "telemetry_reasons_hour_tenant" : "telemetry_reasons_hour", all.where()),
                    (rows, n) -> new Analytics.ReasonShare(rows.getString(1),
                            rows.getLong(2) / 3_600_000.0, viewerMs == null || viewerMs == 0 ? null
                                    : (double) rows.getLong(2) / viewerMs), all.args().toArray());
        });
    }
}
