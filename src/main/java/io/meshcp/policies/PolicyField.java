package io.meshcp.policies;

import java.util.function.Function;

/**
 * Every policy field with its JSON name, its documented range and its platform default. The
 * platform default is the level every tenant starts from.
 */
public enum PolicyField {
    P2P_ENABLED("p2pEnabled", Boolean.class, null, null, true, PolicyFields::p2pEnabled),
    LATENCY_BUDGET_MS("latencyBudgetMs", Integer.class, 500, 120_000, 6_000, PolicyFields::latencyBudgetMs),
    // libwebrtc degrades past about a dozen connections, so no device class may hold more than 12.
    MAX_PEERS_DESKTOP("maxPeers.desktop", Integer.class, 0, 12, 10,
            f -> f.maxPeers() == null ? null : f.maxPeers().desktop()),
    MAX_PEERS_MOBILE("maxPeers.mobile", Integer.class, 0, 12, 5,
            f -> f.maxPeers() == null ? null : f.maxPeers().mobile()),
    MAX_PEERS_TV("maxPeers.tv", Integer.class, 0, 12, 6, f -> f.maxPeers() == null ? null : f.maxPeers().tv()),
    UPLOAD_ON_CELLULAR("uploadOnCellular", Boolean.class, null, null, false, PolicyFields::uploadOnCellular),
    MIN_BATTERY_FOR_UPLOAD("minBatteryForUpload", Double.class, 0.0, 1.0, 0.3, PolicyFields::minBatteryForUpload),
    UPLOAD_WHEN_CHARGING("uploadWhenCharging", Boolean.class, null, null, true, PolicyFields::uploadWhenCharging),
    MOBILE_DOWNLOAD_ONLY("mobileDownloadOnly", Boolean.class, null, null, false, PolicyFields::mobileDownloadOnly),
    MIN_SWARM_SIZE("minSwarmSize", Integer.class, 1, 1_000, 2, PolicyFields::minSwarmSize),
    HOLDOUT_PERCENT("holdoutPercent", Integer.class, 0, 100, 5, PolicyFields::holdoutPercent);

    private final String jsonName;

    private final Class<?> type;

    private final Number min;

    private final Number max;

    private final Object platformDefault;

    private final Function<PolicyFields, Object> reader;

    PolicyField(String jsonName, Class<?> type, Number min, Number max, Object platformDefault,
            Function<PolicyFields, Object> reader) {
        this.jsonName = jsonName;
        this.type = type;
        this.min = min;
        this.max = max;
        this.platformDefault = platformDefault;
        this.reader = reader;
    }

    public String jsonName() {
        return jsonName;
    }

    public Object platformDefault() {
        return platformDefault;
    }

    /** The smallest value allowed, or null for booleans. */
    public Number min() {
        return min;
    }

    /** The largest value allowed, or null for booleans. */
    public Number max() {
        return max;
    }

    /** The documented range, such as "0..12", or null for booleans. */
    public String range() {
        return min == null ? null : min + ".." + max;
    }

    Object read(PolicyFields fields) {
        return reader.apply(fields);
    }

    /** Why {@code value} is out of range, or null when it is fine. */
    String problem(Object value) {
        if (value == null || min == null) {
            return null;
        }
        double number = ((Number) value).doubleValue();
        if (Double.isNaN(number) || number < min.doubleValue() || number > max.doubleValue()) {
            return "must be between " + min + " and " + max;
        }
        return null;
    }

    Class<?> type() {
        return type;
    }
}
