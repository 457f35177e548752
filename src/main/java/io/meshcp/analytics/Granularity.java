package io.meshcp.analytics;

import java.time.Duration;

/** How wide each point of a time series is; minutes come from the minute sums, the rest from the hour sums. */
public enum Granularity {
    MINUTE("minute", "telemetry_minute", Duration.ofDays(7)),
    HOUR("hour", "telemetry_hour", Duration.ofDays(92)),
    DAY("day", "telemetry_hour", Duration.ofDays(400));

    private final String unit;

    private final String table;

    private final Duration maxRange;

    Granularity(String unit, String table, Duration maxRange) {
        this.unit = unit;
        this.table = table;
        this.maxRange = maxRange;
    }

    String unit() {
        return unit;
    }

    String table() {
        return table;
    }

    /** The longest range one query may ask at this granularity, so a response stays a few thousand points. */
    public Duration maxRange() {
        return maxRange;
    }
}
