package io.meshcp.policies;

import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where levels are merged: platform default < tenant default < stream override < the
 * live event whose window is open. Pure, so it is tested table by table without a database.
 */
final class PolicyResolution {

    private PolicyResolution() {
    }

    static EffectivePolicy resolve(TenantLevel tenant, StreamLevel stream, Instant now) {
        Map<PolicyField, Object> values = new EnumMap<>(PolicyField.class);
        Map<String, PolicyLevel> sources = new LinkedHashMap<>();
        Optional<LiveEventWindow> event = stream == null ? Optional.empty()
                : stream.events().stream().filter(e -> e.activeAt(now)).findFirst();
        for (PolicyField field : PolicyField.values()) {
            Object value = field.platformDefault();
            PolicyLevel level = PolicyLevel.PLATFORM;
            if (tenant.fields().containsKey(field)) {
                value = tenant.fields().get(field);
                level = PolicyLevel.TENANT;
            }
            if (stream != null && stream.fields().containsKey(field)) {
                value = stream.fields().get(field);
                level = PolicyLevel.STREAM;
            }
            if (event.isPresent() && event.get().overrides().containsKey(field)) {
                value = event.get().overrides().get(field);
                level = PolicyLevel.LIVE_EVENT;
            }
            values.put(field, value);
            sources.put(field.jsonName(), level);
        }
        KillSwitchScope kill = tenant.killed() ? KillSwitchScope.TENANT
                : stream != null && stream.killed() ? (stream.guarded() ? KillSwitchScope.AUTO_GUARD
                        : KillSwitchScope.STREAM) : null;
        String version = "t" + tenant.version() + "-s" + (stream == null ? 0 : stream.version())
                + event.map(e -> "-e" + e.id().toString().substring(0, 8) + "." + e.updatedAt().toEpochMilli())
                        .orElse("");
        return new EffectivePolicy(PolicyFields.of(values), sources, version,
                event.map(e -> new EffectivePolicy.ActiveLiveEvent(e.id(), e.name(), e.startsAt(), e.endsAt()))
                        .orElse(null),
                kill, Math.max(tenant.killSwitchEpoch(), stream == null ? 0 : stream.killSwitchEpoch()));
    }

    /**
     * The tenant's level: what its default sets, its version, whether its kill switch is engaged and when it was
     * last engaged (epoch milliseconds, 0: never).
     */
    record TenantLevel(Map<PolicyField, Object> fields, int version, boolean killed, long killSwitchEpoch) {
    }

    /**
     * A stream's level: its override, version, kill switch (engaged, by the auto-guard, last engaged) and the live
     * events not yet over.
     */
    record StreamLevel(Map<PolicyField, Object> fields, int version, boolean killed, boolean guarded,
            long killSwitchEpoch, List<LiveEventWindow> events) {

        StreamLevel(Map<PolicyField, Object> fields, int version, boolean killed, long killSwitchEpoch,
                List<LiveEventWindow> events) {
            this(fields, version, killed, false, killSwitchEpoch, events);
        }
    }
}
