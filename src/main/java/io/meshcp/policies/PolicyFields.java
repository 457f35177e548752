package io.meshcp.policies;

import java.util.EnumMap;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The policy fields one level sets; a null field (or null {@code maxPeers} member) is not set there
 * and inherits from the level below. Ranges are in {@link PolicyField}.
 */
@Schema(example = """
        {"latencyBudgetMs": 4000, "maxPeers": {"mobile": 4}, "uploadOnCellular": false}""")
public record PolicyFields(Boolean p2pEnabled, Integer latencyBudgetMs, MaxPeers maxPeers, Boolean uploadOnCellular,
        Double minBatteryForUpload, Boolean uploadWhenCharging, Boolean mobileDownloadOnly, Integer minSwarmSize,
        Integer holdoutPercent) {

    public static final PolicyFields NONE = new PolicyFields(null, null, null, null, null, null, null, null, null);

    /** The fields that are set, by field. */
    public Map<PolicyField, Object> toMap() {
        Map<PolicyField, Object> map = new EnumMap<>(PolicyField.class);
        for (PolicyField field : PolicyField.values()) {
            Object value = field.read(this);
            if (value != null) {
                map.put(field, value);
            }
        }
        return map;
    }

    public static PolicyFields of(Map<PolicyField, Object> values) {
        MaxPeers maxPeers = new MaxPeers((Integer) values.get(PolicyField.MAX_PEERS_DESKTOP),
                (Integer) values.get(PolicyField.MAX_PEERS_MOBILE), (Integer) values.get(PolicyField.MAX_PEERS_TV));
        boolean anyPeers = maxPeers.desktop() != null || maxPeers.mobile() != null || maxPeers.tv() != null;
        return new PolicyFields((Boolean) values.get(PolicyField.P2P_ENABLED),
                (Integer) values.get(PolicyField.LATENCY_BUDGET_MS), anyPeers ? maxPeers : null,
                (Boolean) values.get(PolicyField.UPLOAD_ON_CELLULAR),
                (Double) values.get(PolicyField.MIN_BATTERY_FOR_UPLOAD),
                (Boolean) values.get(PolicyField.UPLOAD_WHEN_CHARGING),
                (Boolean) values.get(PolicyField.MOBILE_DOWNLOAD_ONLY),
                (Integer) values.get(PolicyField.MIN_SWARM_SIZE), (Integer) values.get(PolicyField.HOLDOUT_PERCENT));
    }
}
