package io.meshcp.analytics;

import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/**
 * A range of time with optional filters. Null filters match everything; {@code zone} decides where days
 * begin for {@link Granularity#DAY}.
 */
public record AnalyticsQuery(Instant from, Instant to, ZoneId zone, UUID streamId, String rendition, String cohort,
        String device, String network) {

    /** The same filters over another range. */
    AnalyticsQuery between(Instant from, Instant to) {
        return new AnalyticsQuery(from, to, zone, streamId, rendition, cohort, device, network);
    }
}
