package io.meshcp.telemetry;

import org.springframework.modulith.NamedInterface;

/** What the sums can be kept by, and so what analytics can filter or break down by: a key column of the sums. */
@NamedInterface("sums")
public enum Dimension {
    STREAM("stream_id", "uuid"), RENDITION("rendition", "text"), COHORT("cohort", "text"), DEVICE("device", "text"),
    NETWORK("network", "text"), NAT("nat", "text");

    private final String column;

    private final String sqlType;

    Dimension(String column, String sqlType) {
        this.column = column;
        this.sqlType = sqlType;
    }

    public String column() {
        return column;
    }

    String sqlType() {
        return sqlType;
    }
}
