package io.meshcp.analytics;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

import io.meshcp.player.DeviceClass;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.telemetry.Dimension;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The JSON behind the analytics pages and the analytics panel of a stream's page, for a signed-in member.
 * A REST controller, so that an unoffered range or another organisation's stream gets the same problem
 * details as the API.
 */
@RestController
class AnalyticsPageDataController {

    /** The ranges the page offers, in hours, with the granularity that keeps each chart readable. */
    private static final Map<Integer, Granularity> RANGES = Map.of(1, Granularity.MINUTE, 6, Granularity.MINUTE,
            24, Granularity.HOUR, 168, Granularity.HOUR, 720, Granularity.DAY);

    private final Analytics analytics;

    /**
     * Runs a page's queries side by side, each on a virtual thread; how many hold a database connection at once
     * is bounded by Analytics itself, for pages and API alike.
     */
    private final SimpleAsyncTaskExecutor parts = new SimpleAsyncTaskExecutor("analytics-part-");

    private final Clock clock;

    AnalyticsPageDataController(Analytics analytics, Clock clock) {
        this.clock = clock;
        this.analytics = analytics;
        parts.setVirtualThreads(true);
    }

    @GetMapping(value = "/analytics/data", produces = "application/json")
    PageData data(@RequestParam(defaultValue = "24") int hours, @RequestParam(defaultValue = "UTC") String zone,
            @RequestParam(required = false) UUID streamId) {
        Range range = range(hours, zone, streamId);
        AnalyticsQuery query = range.query();
        UUID tenantId = Caller.tenantId();
        // Five independent queries, each in its own read-only transaction: side by side, the page waits for the
        // slowest instead of the sum.
        CompletableFuture<List<Analytics.Point>> byCohort = inParallel(
                () -> analytics.timeseries(tenantId, query, range.granularity(), Dimension.COHORT));
        CompletableFuture<Analytics.Summary> summary = inParallel(() -> analytics.summary(tenantId, query));
        CompletableFuture<List<Analytics.ReasonShare>> reasons = inParallel(
                () -> analytics.ineligibility(tenantId, query));
        CompletableFuture<List<Analytics.ConcurrencyBand>> concurrency = inParallel(
                () -> analytics.concurrency(tenantId, query));
        List<Analytics.LiveEventReport> liveEvents = analytics.liveEvents(tenantId, query);
        return new PageData(range.granularityName(), result(byCohort), result(summary), result(reasons),
                result(concurrency), liveEvents);
    }

    /** The analytics panel's series (per period and cohort) as a CSV download, in the same range and zone. */
    @GetMapping(value = "/analytics/series.csv", produces = AnalyticsCsvConverter.TEXT_CSV)
    List<Analytics.Point> seriesCsv(@RequestParam(defaultValue = "24") int hours,
            @RequestParam(defaultValue = "UTC") String zone, @RequestParam(required = false) UUID streamId) {
        Range range = range(hours, zone, streamId);
        return analytics.timeseries(Caller.tenantId(), range.query(), range.granularity(), Dimension.COHORT);
    }

    /** The overview's trend: the organisation's (or one stream's) totals over its period (one query, kept light). */
    @GetMapping(value = "/analytics/trend", produces = "application/json")
    Trend trend(@RequestParam(defaultValue = "24") int hours, @RequestParam(defaultValue = "UTC") String zone,
            @RequestParam(required = false) UUID streamId) {
        Range range = range(hours, zone, streamId);
        return new Trend(range.granularityName(),
                analytics.timeseries(Caller.tenantId(), range.query(), range.granularity(), null));
    }

    /** The battery and quality page: the p2p cohort against the holdout, over time, per device and per network. */
    @GetMapping(value = "/analytics/quality/data", produces = "application/json")
    QualityData qualityData(@RequestParam(defaultValue = "24") int hours,
            @RequestParam(defaultValue = "UTC") String zone, @RequestParam(required = false) UUID streamId) {
        Range range = range(hours, zone, streamId);
        AnalyticsQuery query = range.query();
        UUID tenantId = Caller.tenantId();
        CompletableFuture<List<Analytics.Point>> byCohort = inParallel(
                () -> analytics.timeseries(tenantId, query, range.granularity(), Dimension.COHORT));
        CompletableFuture<List<Analytics.CohortMetrics>> overall = inParallel(
                () -> analytics.cohorts(tenantId, query, null));
        CompletableFuture<List<Analytics.CohortMetrics>> byDevice = inParallel(
                () -> analytics.cohorts(tenantId, query, Dimension.DEVICE));
        CompletableFuture<Analytics.HoldoutComparison> holdout = inParallel(() -> analytics.holdout(tenantId, query));
        CompletableFuture<Analytics.HoldoutComparison> holdoutMobile = inParallel(() -> analytics.holdout(tenantId,
                new AnalyticsQuery(query.from(), query.to(), query.zone(), query.streamId(), null, null, DeviceClass.MOBILE.code(),
                        null)));
        CompletableFuture<List<Analytics.CohortMetrics>> byNat = inParallel(
                () -> analytics.cohorts(tenantId, query, Dimension.NAT));
        CompletableFuture<List<Analytics.CohortMetrics>> byPlayer = inParallel(
                () -> analytics.clients(tenantId, query, Analytics.Client.PLAYER));
        CompletableFuture<List<Analytics.CohortMetrics>> bySdk = inParallel(
                () -> analytics.clients(tenantId, query, Analytics.Client.SDK));
        List<Analytics.CohortMetrics> byNetwork = analytics.cohorts(tenantId, query, Dimension.NETWORK);
        return new QualityData(range.granularityName(), result(byCohort), result(overall), result(byDevice),
                byNetwork, result(byNat), result(byPlayer), result(bySdk), result(holdout), result(holdoutMobile));
    }

    private <T> CompletableFuture<T> inParallel(Supplier<T> part) {
        return CompletableFuture.supplyAsync(part, parts);
    }

    /** A part's result, or the exception it threw (an invalid range, say) as if thrown here. */
    private static <T> T result(CompletableFuture<T> part) {
        try {
            return part.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private Range range(int hours, String zone, UUID streamId) {
        Granularity granularity = RANGES.get(hours);
        if (granularity == null) {
            throw new InvalidInputException("hours", "must be one of 1, 6, 24, 168 or 720");
        }
        ZoneId zoneId;
        try {
            zoneId = ZoneId.of(zone);
        }
        catch (DateTimeException e) {
            zoneId = ZoneOffset.UTC;
        }
        Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant from = to.minus(Duration.ofHours(hours));
        return new Range(granularity, new AnalyticsQuery(from, to, zoneId, streamId, null, null, null, null));
    }

    private record Range(Granularity granularity, AnalyticsQuery query) {

        String granularityName() {
            return granularity.name().toLowerCase(Locale.ROOT);
        }
    }

    record PageData(String granularity, List<Analytics.Point> byCohort, Analytics.Summary summary,
            List<Analytics.ReasonShare> reasons, List<Analytics.ConcurrencyBand> concurrency,
            List<Analytics.LiveEventReport> liveEvents) {
    }

    record Trend(String granularity, List<Analytics.Point> points) {
    }

    /** {@code holdout}: every session's comparison (its rebuffer ratio is shown); {@code holdoutMobile}: phones'. */
    record QualityData(String granularity, List<Analytics.Point> byCohort, List<Analytics.CohortMetrics> overall,
            List<Analytics.CohortMetrics> byDevice, List<Analytics.CohortMetrics> byNetwork,
            List<Analytics.CohortMetrics> byNat, List<Analytics.CohortMetrics> byPlayer,
            List<Analytics.CohortMetrics> bySdk, Analytics.HoldoutComparison holdout,
            Analytics.HoldoutComparison holdoutMobile) {
    }
}
