package io.meshcp.clientconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;
import io.meshcp.player.P2pReason;
import io.meshcp.player.WireCode;
import io.meshcp.policies.EffectivePolicy;
import io.meshcp.policies.KillSwitchScope;
import io.meshcp.policies.MaxPeers;
import io.meshcp.policies.PolicyFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class P2pDecisionTests {

    static final PolicyFields DEFAULTS = new PolicyFields(true, 6000, new MaxPeers(10, 5, 0), false, 0.3, true, false,
            2, 5);

    static final PlayerContext DESKTOP_WIFI = new PlayerContext(DeviceClass.DESKTOP, Network.WIFI, null, null,
            NatType.FULL_CONE);

    static Stream<Arguments> rules() {
        PolicyFields mobileDownloadOnly = new PolicyFields(true, 6000, new MaxPeers(10, 5, 0), false, 0.3, true, true,
                2, 5);
        PolicyFields p2pOff = new PolicyFields(false, 6000, new MaxPeers(10, 5, 0), false, 0.3, true, false, 2, 5);
        PolicyFields cellularOk = new PolicyFields(true, 6000, new MaxPeers(10, 5, 0), true, 0.3, false, false, 2, 5);
        PlayerContext mobile = new PlayerContext(DeviceClass.MOBILE, Network.WIFI, 0.9, false, NatType.OPEN);
        return Stream.of(
                // sensitive, policy, killed, cohort, player, enabled, upload, reasons
                Arguments.of(false, DEFAULTS, false, "p2p", DESKTOP_WIFI, true, true, List.of()),
                Arguments.of(true, DEFAULTS, false, "p2p", DESKTOP_WIFI, false, false, List.of("STREAM_SENSITIVE")),
                Arguments.of(false, DEFAULTS, true, "p2p", DESKTOP_WIFI, false, false, List.of("KILL_SWITCH")),
                Arguments.of(false, p2pOff, false, "p2p", DESKTOP_WIFI, false, false, List.of("P2P_DISABLED")),
                Arguments.of(false, DEFAULTS, false, "holdout", DESKTOP_WIFI, false, false,
                        List.of("HOLDOUT_COHORT")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.TV, Network.ETHERNET, null, null, NatType.OPEN), false, false,
                        List.of("DEVICE_PEERS_ZERO")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.DESKTOP, Network.WIFI, null, null, NatType.SYMMETRIC), true,
                        true, List.of("NAT_SYMMETRIC")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.CELLULAR, 0.9, false, NatType.OPEN), true,
                        false, List.of("CELLULAR_UPLOAD_OFF")),
                Arguments.of(false, cellularOk, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.CELLULAR, 0.9, false, NatType.OPEN), true,
                        true, List.of()),
                Arguments.of(false, mobileDownloadOnly, false, "p2p", mobile, true, false,
                        List.of("MOBILE_DOWNLOAD_ONLY")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.WIFI, 0.2, false, NatType.OPEN), true, false,
                        List.of("BATTERY_LOW")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.WIFI, 0.2, true, NatType.OPEN), true, true,
                        List.of()),
                Arguments.of(false, cellularOk, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.WIFI, 0.2, true, NatType.OPEN), true, false,
                        List.of("BATTERY_LOW")),
                Arguments.of(false, DEFAULTS, false, "p2p",
                        new PlayerContext(DeviceClass.MOBILE, Network.WIFI, 0.3, false, NatType.OPEN), true, true,
                        List.of()),
                Arguments.of(true, DEFAULTS, true, "holdout",
                        new PlayerContext(DeviceClass.MOBILE, Network.CELLULAR, 0.1, false, NatType.SYMMETRIC), false,
                        false, List.of("STREAM_SENSITIVE", "KILL_SWITCH", "HOLDOUT_COHORT", "NAT_SYMMETRIC",
                                "CELLULAR_UPLOAD_OFF", "BATTERY_LOW")));
    }

    @ParameterizedTest
    @MethodSource("rules")
    void everyRuleThatLimitsP2pIsAppliedAndNamed(boolean sensitive, PolicyFields values, boolean killed, String cohort,
            PlayerContext player, boolean enabled, boolean upload, List<String> reasons) {
        EffectivePolicy policy = new EffectivePolicy(values, Map.of(), "t1-s1", null,
                killed ? KillSwitchScope.TENANT : null, 0);

        P2pDecision decision = P2pDecision.decide(sensitive, policy, WireCode.parse(Cohort.class, cohort).orElseThrow(), player, 10);

        assertThat(decision.enabled()).isEqualTo(enabled);
        assertThat(decision.upload()).isEqualTo(upload);
        assertThat(decision.reasons()).extracting(P2pReason::code).containsExactlyElementsOf(reasons);
        assertThat(decision.maxPeers()).isEqualTo(enabled ? policy.maxPeersFor(player.device()) : 0);
    }

    @Test
    void belowTheMinimumSwarmSizeThePlayerIsToldWhyItGetsNoPeersYet() {
        EffectivePolicy policy = new EffectivePolicy(DEFAULTS, Map.of(), "t1-s1", null, null, 0);

        P2pDecision alone = P2pDecision.decide(false, policy, Cohort.P2P, DESKTOP_WIFI, 0);
        P2pDecision second = P2pDecision.decide(false, policy, Cohort.P2P, DESKTOP_WIFI, 1);

        assertThat(alone.reasons()).containsExactly(P2pReason.SWARM_TOO_SMALL);
        assertThat(alone.enabled()).as("it still joins the tracker, so the swarm can grow").isTrue();
        assertThat(second.reasons()).isEmpty();
    }

    @Test
    void theHoldoutShareIsCloseToHoldoutPercentAndStablePerSession() {
        // A fixed tenant: the split is a hash, so a random one would miss the 1% band now and then.
        UUID tenant = UUID.fromString("6f1c2a9e-3b7d-4c55-9a0e-2d8f41b7c3a1");
        for (int percent : new int[] {0, 5, 10, 50, 100}) {
            long holdout = IntStream.range(0, 20_000)
                    .filter(i -> P2pDecision.cohort(tenant, "session-" + i, percent) == Cohort.HOLDOUT).count();
            assertThat(holdout / 200.0).as("holdout %% for %d", percent)
                    .isCloseTo(percent, offset(1.0));
        }
        assertThat(P2pDecision.cohort(tenant, "same-session", 50)).isEqualTo(P2pDecision.cohort(tenant,
                "same-session", 50));
    }
}
