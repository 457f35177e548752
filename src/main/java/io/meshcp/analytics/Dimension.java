package io.meshcp.analytics;

/** What a time series or summary can be broken down by: a column of the sums. */
public enum Dimension {
    STREAM("stream_id"), RENDITION("rendition"), COHORT("cohort"), DEVICE("device"), NETWORK("network"), NAT("nat");

    private final String column;

    Dimension(String column) {
        this.column = column;
    }

    String column() {
        return column;
    }
}
