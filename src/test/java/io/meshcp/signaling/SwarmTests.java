package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.signaling.Swarms.Member;
import org.junit.jupiter.api.Test;

class SwarmTests {

    final PeerConnection connection = new PeerConnection(null, null);

    @Test
    void picksDistinctConnectableMembersOtherThanSelfFromALargeSwarm() {
        Swarm swarm = new Swarm();
        for (int i = 0; i < 500; i++) {
            swarm.join(member("peer" + i, i % 2 == 0 ? "symmetric" : "open", i % 4 == 0));
        }
        Member self = member("peer1", "symmetric", false);

        for (int round = 0; round < 50; round++) {
            List<Member> picked = swarm.pick(self, 10);

            assertThat(picked).hasSize(10).doesNotHaveDuplicates();
            assertThat(picked).allSatisfy(member -> {
                assertThat(member.peerId()).isNotEqualTo("peer1");
                assertThat(member.nat()).isEqualTo(NatType.OPEN);
            });
        }
    }

    @Test
    void picksAreSpreadOverTheWholeSwarm() {
        Swarm swarm = new Swarm();
        for (int i = 0; i < 200; i++) {
            swarm.join(member("peer" + i, "open", false));
        }
        Set<String> seen = new HashSet<>();

        for (int round = 0; round < 200; round++) {
            swarm.pick(member("self", "open", false), 10).forEach(member -> seen.add(member.peerId()));
        }

        assertThat(seen).as("random picks, not a fixed block of neighbours").hasSizeGreaterThan(190);
    }

    @Test
    void whenFewMembersAreConnectableTheScanStillFindsThemAll() {
        Swarm swarm = new Swarm();
        for (int i = 0; i < 300; i++) {
            swarm.join(member("blocked" + i, "port-restricted", false));
        }
        swarm.join(member("reachable1", "open", false));
        swarm.join(member("reachable2", "full-cone", false));

        List<Member> picked = swarm.pick(member("self", "symmetric", false), 10);

        assertThat(picked).extracting(Member::peerId).containsExactlyInAnyOrder("reachable1", "reachable2");
    }

    @Test
    void countsSeedersAsMembersJoinRefreshAndLeave() {
        Swarm swarm = new Swarm();
        swarm.join(member("a", "open", false));
        swarm.join(member("b", "open", true));
        assertThat(swarm.counts()).containsExactly(1, 1);

        swarm.join(member("a", "open", true));
        assertThat(swarm.counts()).as("a finished downloading").containsExactly(2, 0);

        assertThat(swarm.leave("b", connection)).isTrue();
        assertThat(swarm.counts()).containsExactly(1, 0);
        assertThat(swarm.member("a")).isNotNull();
        assertThat(swarm.member("b")).isNull();
    }

    @Test
    void aPeerIdHeldByAnotherConnectionIsNeitherTakenOverNorRemoved() {
        Swarm swarm = new Swarm();
        swarm.join(member("a", "open", false));

        PeerConnection another = new PeerConnection(null, null);

        assertThat(swarm.join(new Member("a", NatType.OPEN, false, another))).isEqualTo(Swarm.Join.PEER_ID_TAKEN);
        assertThat(swarm.leave("a", another)).isFalse();
        assertThat(swarm.size()).isEqualTo(1);
    }

    private Member member(String peerId, String nat, boolean seeder) {
        return new Member(peerId, WireCode.parse(NatType.class, nat).orElseThrow(), seeder, connection);
    }
}
