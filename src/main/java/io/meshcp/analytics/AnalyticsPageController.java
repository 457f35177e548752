package io.meshcp.analytics;

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

import io.meshcp.shared.Caller;
import io.meshcp.shared.InvalidInputException;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The analytics page and the analytics panel of a stream's page: the browser asks for its data as JSON
 * in its own time zone and draws the charts (Chart.js), so times show in the viewer's zone and days
 * begin at the viewer's midnight.
 */
@Controller
class AnalyticsPageController {

    /** The ranges the page offers, in hours, with the granularity that keeps each chart readable. */
    private static final Map<Integer, Granularity> RANGES = Map.of(1, Granularity.MINUTE, 6, Granularity.MINUTE,
            24, Granularity.HOUR, 168, Granularity.HOUR, 720, Granularity.DAY);

    private final Analytics analytics;

    AnalyticsPageController(Analytics analytics) {
        this.analytics = analytics;
    }

    @GetMapping("/analytics")
    String page() {
        return "analytics/page";
    }

    @GetMapping(value = "/analytics/data", produces = "application/json")
    @ResponseBody
    PageData data(@RequestParam(defaultValue = "24") int hours, @RequestParam(defaultValue = "UTC") String zone,
            @RequestParam(required = false) UUID streamId) {
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
        Instant to = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant from = to.minus(Duration.ofHours(hours));
        AnalyticsQuery query = new AnalyticsQuery(from, to, zoneId, streamId, null, null, null, null);
        UUID tenantId = Caller.tenantId();
        return new PageData(granularity.name().toLowerCase(Locale.ROOT),
                analytics.timeseries(tenantId, query, granularity, Dimension.COHORT), analytics.summary(tenantId, query),
                analytics.ineligibility(tenantId, query), analytics.concurrency(tenantId, query),
                analytics.liveEvents(tenantId, query));
    }

    record PageData(String granularity, List<Analytics.Point> byCohort, Analytics.Summary summary,
            List<Analytics.ReasonShare> reasons, List<Analytics.ConcurrencyBand> concurrency,
            List<Analytics.LiveEventReport> liveEvents) {
    }
}
