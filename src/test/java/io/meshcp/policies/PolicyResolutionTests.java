package io.meshcp.policies;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import io.meshcp.player.DeviceClass;
import io.meshcp.policies.PolicyResolution.StreamLevel;
import io.meshcp.policies.PolicyResolution.TenantLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyResolutionTests {

    static final Instant START = Instant.parse("2026-07-19T18:00:00Z");

    static final Instant END = Instant.parse("2026-07-19T20:00:00Z");

    static final LiveEventWindow FINAL = new LiveEventWindow(UUID.randomUUID(), "Final", START, END,
            Map.of(PolicyField.LATENCY_BUDGET_MS, 1500), START.minusSeconds(3600));

    static Stream<Arguments> levels() {
        Map<PolicyField, Object> tenant = Map.of(PolicyField.LATENCY_BUDGET_MS, 4000, PolicyField.HOLDOUT_PERCENT, 10);
        Map<PolicyField, Object> stream = Map.of(PolicyField.LATENCY_BUDGET_MS, 3000);
        return Stream.of(
                // tenant fields, stream fields, when, expected latency budget, its level, expected holdout, its level
                Arguments.of(Map.of(), Map.of(), START.minusSeconds(60), 6000, PolicyLevel.PLATFORM, 5,
                        PolicyLevel.PLATFORM),
                Arguments.of(tenant, Map.of(), START.minusSeconds(60), 4000, PolicyLevel.TENANT, 10,
                        PolicyLevel.TENANT),
                Arguments.of(tenant, stream, START.minusSeconds(60), 3000, PolicyLevel.STREAM, 10, PolicyLevel.TENANT),
                Arguments.of(tenant, stream, START.minusMillis(1), 3000, PolicyLevel.STREAM, 10, PolicyLevel.TENANT),
                Arguments.of(tenant, stream, START, 1500, PolicyLevel.LIVE_EVENT, 10, PolicyLevel.TENANT),
                Arguments.of(tenant, stream, END.minusMillis(1), 1500, PolicyLevel.LIVE_EVENT, 10, PolicyLevel.TENANT),
                Arguments.of(tenant, stream, END, 3000, PolicyLevel.STREAM, 10, PolicyLevel.TENANT),
                Arguments.of(Map.of(), Map.of(), START.plusSeconds(60), 1500, PolicyLevel.LIVE_EVENT, 5,
                        PolicyLevel.PLATFORM));
    }

    @ParameterizedTest
    @MethodSource("levels")
    void eachFieldComesFromTheHighestLevelThatSetsIt(Map<PolicyField, Object> tenant, Map<PolicyField, Object> stream,
            Instant at, int latency, PolicyLevel latencyLevel, int holdout, PolicyLevel holdoutLevel) {
        EffectivePolicy effective = PolicyResolution.resolve(new TenantLevel(tenant, 1, false, 0),
                new StreamLevel(stream, 1, false, 0, List.of(FINAL)), at);

        assertThat(effective.values().latencyBudgetMs()).isEqualTo(latency);
        assertThat(effective.sources()).containsEntry("latencyBudgetMs", latencyLevel);
        assertThat(effective.values().holdoutPercent()).isEqualTo(holdout);
        assertThat(effective.sources()).containsEntry("holdoutPercent", holdoutLevel);
        assertThat(effective.liveEvent() != null).isEqualTo(latencyLevel == PolicyLevel.LIVE_EVENT);
    }

    @Test
    void everyFieldHasAValueAndASource() {
        EffectivePolicy effective = PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 0), null, START);

        assertThat(effective.values().toMap()).hasSize(PolicyField.values().length);
        assertThat(effective.sources()).hasSize(PolicyField.values().length).containsValue(PolicyLevel.PLATFORM)
                .doesNotContainValue(PolicyLevel.TENANT);
        assertThat(effective.maxPeersFor(DeviceClass.MOBILE)).isEqualTo(5);
    }

    @Test
    void maxPeersInheritsPerDeviceClass() {
        EffectivePolicy effective = PolicyResolution.resolve(
                new TenantLevel(Map.of(PolicyField.MAX_PEERS_MOBILE, 3), 2, false, 0),
                new StreamLevel(Map.of(PolicyField.MAX_PEERS_TV, 2), 1, false, 0, List.of()), START);

        assertThat(effective.maxPeersFor(DeviceClass.DESKTOP)).isEqualTo(10);
        assertThat(effective.maxPeersFor(DeviceClass.MOBILE)).isEqualTo(3);
        assertThat(effective.maxPeersFor(DeviceClass.TV)).isEqualTo(2);
        assertThat(effective.sources()).containsEntry("maxPeers.desktop", PolicyLevel.PLATFORM)
                .containsEntry("maxPeers.mobile", PolicyLevel.TENANT).containsEntry("maxPeers.tv", PolicyLevel.STREAM);
    }

    @Test
    void theTenantKillSwitchWinsOverTheStreamOne() {
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, true, 0),
                new StreamLevel(Map.of(), 0, true, 0, List.of()), START).killSwitch())
                .isEqualTo(KillSwitchScope.TENANT);
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 0),
                new StreamLevel(Map.of(), 0, true, 0, List.of()), START).killSwitch()).isEqualTo(KillSwitchScope.STREAM);
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 0),
                new StreamLevel(Map.of(), 0, false, 0, List.of()), START).killed()).isFalse();
    }

    @Test
    void theKillSwitchEpochIsTheLaterEngagementOfTenantAndStreamEvenOnceReleased() {
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 2_000),
                new StreamLevel(Map.of(), 0, false, 5_000, List.of()), START).killSwitchEpoch()).isEqualTo(5_000);
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 7_000),
                new StreamLevel(Map.of(), 0, false, 5_000, List.of()), START).killSwitchEpoch()).isEqualTo(7_000);
        assertThat(PolicyResolution.resolve(new TenantLevel(Map.of(), 0, false, 3_000), null, START)
                .killSwitchEpoch()).isEqualTo(3_000);
    }

    @Test
    void theVersionChangesWithEveryLevelAndWithTheEventWindow() {
        TenantLevel tenant = new TenantLevel(Map.of(), 3, false, 0);
        StreamLevel stream = new StreamLevel(Map.of(), 5, false, 0, List.of(FINAL));

        String before = PolicyResolution.resolve(tenant, stream, START.minusSeconds(1)).version();
        String during = PolicyResolution.resolve(tenant, stream, START).version();
        String newerTenant = PolicyResolution.resolve(new TenantLevel(Map.of(), 4, false, 0), stream,
                START.minusSeconds(1)).version();

        assertThat(before).isEqualTo("t3-s5");
        assertThat(during).startsWith("t3-s5-e").isNotEqualTo(before);
        assertThat(newerTenant).isEqualTo("t4-s5");
    }
}
