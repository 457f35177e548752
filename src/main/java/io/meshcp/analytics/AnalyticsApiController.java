package io.meshcp.analytics;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamView;
import io.meshcp.telemetry.Dimension;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/analytics")
@Tag(name = "Analytics")
class AnalyticsApiController {

    private final Analytics analytics;

    private final StreamDirectory streams;

    AnalyticsApiController(Analytics analytics, StreamDirectory streams) {
        this.analytics = analytics;
        this.streams = streams;
    }

    @GetMapping(value = "/timeseries", produces = {MediaType.APPLICATION_JSON_VALUE, AnalyticsCsvConverter.TEXT_CSV})
    @Operation(summary = "Offload, savings, viewers, quality and battery cost over time",
            description = "from (inclusive) and to (exclusive) are ISO-8601 instants; granularity minute (up to 7 "
                    + "days), hour (92 days) or day (400 days, days begin at midnight in zone); breakdown by stream, "
                    + "rendition, cohort, device, network or nat; streamId is our id or your external id. "
                    + "Definitions: docs/analytics.md. As CSV with Accept: text/csv, one row per point.")
    List<Analytics.Point> getTimeseries(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(defaultValue = "hour") String granularity,
            @RequestParam(required = false) String zone, @RequestParam(required = false) String streamId,
            @RequestParam(required = false) String rendition, @RequestParam(required = false) String cohort,
            @RequestParam(required = false) String device, @RequestParam(required = false) String network,
            @RequestParam(required = false) String breakdown) {
        return analytics.timeseries(Caller.tenantId(), query(from, to, zone, streamId, rendition, cohort, device,
                network), parse(Granularity.class, "granularity", granularity), breakdown == null ? null
                        : parse(Dimension.class, "breakdown", breakdown));
    }

    @GetMapping(value = "/summary", produces = {MediaType.APPLICATION_JSON_VALUE, AnalyticsCsvConverter.TEXT_CSV})
    @Operation(summary = "Totals of a range, its peak concurrent viewers, and the p2p cohort against the holdout",
            description = "As CSV with Accept: text/csv: the whole range (scope all), then each cohort.")
    Analytics.Summary getSummary(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(required = false) String streamId, @RequestParam(required = false) String rendition,
            @RequestParam(required = false) String device, @RequestParam(required = false) String network) {
        return analytics.summary(Caller.tenantId(), query(from, to, null, streamId, rendition, null, device, network));
    }

    @GetMapping(value = "/holdout", produces = "application/json")
    @Operation(summary = "p2p against the holdout with 95% confidence: rebuffer ratio and battery drain per hour",
            description = "Each difference (p2p minus holdout) carries a 95% interval computed from per-session "
                    + "values, and a verdict: P2P_WORSE, P2P_BETTER, NO_CLEAR_DIFFERENCE, or TOO_FEW_SESSIONS when "
                    + "either cohort has fewer than " + CohortDifference.MIN_SESSIONS + " sessions measuring it. "
                    + "Read from raw heartbeats: ranges up to 31 days, no further back than the organisation keeps "
                    + "them (rawSince). Definitions: docs/analytics.md.")
    Analytics.HoldoutComparison getHoldoutComparison(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String streamId,
            @RequestParam(required = false) String rendition, @RequestParam(required = false) String device,
            @RequestParam(required = false) String network) {
        return analytics.holdout(Caller.tenantId(), query(from, to, null, streamId, rendition, null, device, network));
    }

    @GetMapping(value = "/clients", produces = "application/json")
    @Operation(summary = "The p2p cohort against the holdout per player or per SDK version",
            description = "by: player (as the SDK reports it, e.g. hls.js 1.5) or sdk (our SDK's version); one entry "
                    + "per group and cohort, \"unknown\" for heartbeats that name none. Read from raw heartbeats: "
                    + "ranges up to 31 days. Definitions: docs/analytics.md.")
    List<Analytics.CohortMetrics> getClientBreakdown(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @Parameter(schema = @Schema(allowableValues = {"player", "sdk"})) @RequestParam(defaultValue = "player")
            String by,
            @RequestParam(required = false) String streamId, @RequestParam(required = false) String device,
            @RequestParam(required = false) String network) {
        return analytics.clients(Caller.tenantId(), query(from, to, null, streamId, null, null, device, network),
                parse(Analytics.Client.class, "by", by));
    }

    @GetMapping(value = "/ineligibility", produces = {MediaType.APPLICATION_JSON_VALUE, AnalyticsCsvConverter.TEXT_CSV})
    @Operation(summary = "Why players were not (fully) p2p: playback hours and share per reason code",
            description = "As CSV with Accept: text/csv, one row per reason.")
    List<Analytics.ReasonShare> getIneligibility(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String streamId,
            @RequestParam(required = false) String device, @RequestParam(required = false) String network) {
        return analytics.ineligibility(Caller.tenantId(), query(from, to, null, streamId, null, null, device, network));
    }

    @GetMapping(value = "/concurrency", produces = {MediaType.APPLICATION_JSON_VALUE, AnalyticsCsvConverter.TEXT_CSV})
    @Operation(summary = "Offload against concurrency: stream-minutes grouped by their audience",
            description = "Each band gives the offload of the minutes whose stream had that many concurrent viewers; "
                    + "ranges up to 35 days. As CSV with Accept: text/csv, one row per band.")
    List<Analytics.ConcurrencyBand> getConcurrency(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String streamId,
            @RequestParam(required = false) String device, @RequestParam(required = false) String network) {
        return analytics.concurrency(Caller.tenantId(), query(from, to, null, streamId, null, null, device, network));
    }

    @GetMapping(value = "/live-events", produces = {MediaType.APPLICATION_JSON_VALUE, AnalyticsCsvConverter.TEXT_CSV})
    @Operation(summary = "Live events in the range: their latency budget against the offload and latency it got",
            description = "Each event's metrics during its window (so far) and during as long a stretch just before "
                    + "it. As CSV with Accept: text/csv, one row per event: during, then before_ columns.")
    List<Analytics.LiveEventReport> getLiveEventReports(@RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to, @RequestParam(required = false) String streamId) {
        return analytics.liveEvents(Caller.tenantId(), query(from, to, null, streamId, null, null, null, null));
    }

    private AnalyticsQuery query(Instant from, Instant to, String zone, String streamId, String rendition,
            String cohort, String device, String network) {
        ZoneId zoneId = ZoneOffset.UTC;
        if (zone != null) {
            try {
                zoneId = ZoneId.of(zone);
            }
            catch (DateTimeException e) {
                throw new InvalidInputException("zone", "must be a time zone such as Europe/Paris or UTC");
            }
        }
        return new AnalyticsQuery(from, to, zoneId, stream(streamId), rendition, cohort, device, network);
    }

    /**
     * A stream named by our id or by the broadcaster's external id (the one players and their telemetry know);
     * our id wins when a value is both.
     */
    private UUID stream(String streamId) {
        if (streamId == null || streamId.isBlank()) {
            return null;
        }
        UUID tenantId = Caller.tenantId();
        try {
            UUID id = UUID.fromString(streamId);
            if (streams.byId(tenantId, id).isPresent()) {
                return id;
            }
        }
        catch (IllegalArgumentException e) {
            // Not one of our ids: an external id.
        }
        return streams.byExternalId(tenantId, streamId).map(StreamView::id)
                .orElseThrow(() -> new NotFoundException("stream '" + streamId + "'"));
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "must be one of " + String.join(", ",
                    Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }
}
