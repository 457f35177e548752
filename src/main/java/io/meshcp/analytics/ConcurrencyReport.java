package io.meshcp.analytics;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.meshcp.telemetry.Dimension;
import io.meshcp.telemetry.SumsTable;
import org.springframework.stereotype.Component;

/** Offload against concurrency: how much p2p delivered at each size of audience. */
@Component
class ConcurrencyReport {

    /** Upper bounds of the concurrency bands; a swarm's offload rises with its audience, then levels off. */
    private static final int[] BANDS = {10, 50, 100, 500, 1_000, 5_000};

    /** Up to this range each stream-minute is placed by its own audience; beyond it, each stream-hour. */
    private static final Duration CONCURRENCY_BY_MINUTE = Duration.ofDays(1);

    private final ReportReads reads;

    ConcurrencyReport(ReportReads reads) {
        this.reads = reads;
    }

    /**
     * Offload against concurrency: each stream's minutes grouped by how many viewers watched it then. Over
     * more than a day, stream-hours by their average audience (counted as 60 stream-minutes each), so a
     * month reads thousands of rows instead of half a million. Ranges up to 35 days.
     */
    List<Analytics.ConcurrencyBand> concurrency(UUID tenantId, AnalyticsQuery query) {
        return reads.read(tenantId, query, SumsSql.MINUTES_KEPT, () -> {
            SumsSql.Filter filter = SumsSql.filter(tenantId, query);
            boolean byMinute = Duration.between(query.from(), query.to()).compareTo(CONCURRENCY_BY_MINUTE) <= 0;
            long bucketMs = byMinute ? 60_000 : 3_600_000;
            StringBuilder band = new StringBuilder("case");
            for (int i = 0; i < BANDS.length; i++) {
                band.append(" when viewers < ").append(BANDS[i]).append(" then ").append(i);
            }
            band.append(" else ").append(BANDS.length).append(" end");
            Set<Dimension> needs = SumsSql.needs(query, Dimension.STREAM);
            SumsTable sums = SumsSql.table(byMinute, needs);
            // The per-stream minute sums hold one row per stream-minute already: no grouping (a day: 8 ms, not 21).
            String streamBuckets = sums.oneRowPerBucket(needs)
                    ? "select viewer_ms / %d.0 viewers, p2p_bytes_down p2p, cdn_bytes cdn, viewer_ms from %s where %s"
                    : "select sum(viewer_ms) / %d.0 viewers, sum(p2p_bytes_down) p2p, sum(cdn_bytes) cdn, "
                            + "sum(viewer_ms) viewer_ms from %s where %s group by stream_id, bucket";
            return reads.jdbc().query("""
                    select %s band, sum(p2p)::float8 / nullif(sum(p2p + cdn), 0), count(*), sum(viewer_ms)
                    from (%s) m
                    group by 1 order by 1""".formatted(band, streamBuckets.formatted(bucketMs, sums.table(),
                    filter.where())),
                    (rows, n) -> {
                        int i = rows.getInt(1);
                        double offload = rows.getDouble(2);
                        return new Analytics.ConcurrencyBand(i == 0 ? 0 : BANDS[i - 1], i < BANDS.length ? BANDS[i] : null,
                                rows.wasNull() ? null : offload, rows.getLong(3) * (bucketMs / 60_000),
                                rows.getLong(4) / 3_600_000.0);
                    }, filter.args().toArray());
        });
    }
}
