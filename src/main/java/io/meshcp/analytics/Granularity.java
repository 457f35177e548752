package io.meshcp.analytics;

import java.time.Duration;

/** How wide each point of a time series is; minutes come from the minute sums, the rest from the hour sums. */
public enum Granularity {
    MINUTE(true, Duration.ofDays(7)),
    HOUR(false, Duration.ofDays(92)),
    DAY(false, Duration.ofDays(400));

    private final boolean fromMinuteSums;

    private final Duration maxRange;

    Granularity(boolean fromMinuteSums, Duration maxRange) {
        this.fromMinuteSums = fromMinuteSums;
        this.maxRange = maxRange;
    }

    boolean fromMinuteSums() {
        return fromMinuteSums;
    }

    /** The longest range one query may ask at this granularity, so a response stays a few thousand points. */
    public Duration maxRange() {
        return maxRange;
    }
}
