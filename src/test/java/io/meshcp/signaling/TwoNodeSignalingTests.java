package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.answer;
import static io.meshcp.signaling.TrackerMessages.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.SignUp;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.policies.Policies;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Replicas;
import io.meshcp.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two application instances in this JVM against one PostgreSQL and one Redis, with peers connected over real
 * WebSockets to one or the other: they form one tracker. A third instance reaches Redis through a proxy that can
 * cut it off, as when Redis is down for it, or stall it, as when Redis (or the way to it) is slow. Memberships
 * expire 3 seconds after their node's last refresh here.
 */
class TwoNodeSignalingTests {

    static final String HASH = "720p-info-hash-00001";

    static final String MEMBERSHIP_TTL = "--meshcp.signaling.membership-ttl=3s";

    static ConfigurableApplicationContext a;

    static ConfigurableApplicationContext b;

    UUID tenantId;

    UUID streamId;

    @BeforeAll
    static void startTwoNodes() {
        String redis = Replicas.redisUrl();
        a = Replicas.start(redis, "meshcp-test-signaling-a", MEMBERSHIP_TTL);
        b = Replicas.start(redis, "meshcp-test-signaling-b", MEMBERSHIP_TTL);
        // Each node connects to Redis in the background, so that it starts without it; tests begin once both share.
        await().atMost(Duration.ofSeconds(30)).until(() -> shared(a) && shared(b));
    }

    @AfterAll
    static void stopNodes() {
        for (ConfigurableApplicationContext node : new ConfigurableApplicationContext[] {b, a}) {
            if (node != null) {
                node.close();
            }
        }
    }

    @BeforeEach
    void setUp() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        tenantId = a.getBean(Accounts.class).signUp(new SignUp("Org " + id, "Owner " + id,
                "owner-" + id + "@example.com", Fixtures.PASSWORD), Actor.SYSTEM).id();
        streamId = a.getBean(Streams.class).create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE,
                List.of(), null, false), Actor.SYSTEM).id();
    }

    @Test
    void peersOnDifferentNodesAreMatchedAndExchangeOfferAndAnswer() throws Exception {
        try (PeerClient alice = connect(a, "open"); PeerClient bob = connect(b, "restricted")) {
            alice.send(announce(HASH, peer("alice"), 0));
            alice.next();
            withinTwoSeconds(() -> b.getBean(SwarmSizes.class).streamPeers(tenantId, streamId) == 1);

            bob.send(announce(HASH, peer("bob"), 3));

            JsonNode offer = alice.nextWith("offer");
            assertThat(offer).as("bob's offer, relayed from node B to node A").isNotNull();
            assertThat(offer.get("peer_id").asString()).isEqualTo(peer("bob"));
            assertThat(offer.get("info_hash").asString()).isEqualTo(HASH);
            assertThat(offer.get("offer").get("sdp").asString()).startsWith("v=0");
            alice.send(answer(HASH, peer("alice"), peer("bob"), offer.get("offer_id").asString()));
            JsonNode answer = bob.nextWith("answer");
            assertThat(answer).as("alice's answer, relayed back from node A to node B").isNotNull();
            assertThat(answer.get("peer_id").asString()).isEqualTo(peer("alice"));
            assertThat(answer.get("offer_id").asString()).isEqualTo(offer.get("offer_id").asString());

            for (ConfigurableApplicationContext node : List.of(a, b)) {
                SwarmSizes sizes = node.getBean(SwarmSizes.class);
                withinTwoSeconds(() -> sizes.streamPeers(tenantId, streamId) == 2);
                assertThat(sizes.swarms(tenantId, streamId)).singleElement().satisfies(swarm -> {
                    assertThat(swarm.peers()).isEqualTo(2);
                    assertThat(swarm.natTypes()).containsEntry("open", 1).containsEntry("restricted", 1);
                });
            }
        }
    }

    @Test
    void peersOnOtherNodesAreNeverPairedAcrossIncompatibleNats() throws Exception {
        try (PeerClient symmetric = connect(a, "symmetric"); PeerClient open = connect(a, "open");
                PeerClient newcomer = connect(b, "port-restricted")) {
            symmetric.send(announce(HASH, peer("sym"), 0));
            open.send(announce(HASH, peer("open"), 0));
            symmetric.next();
            open.next();
            withinTwoSeconds(() -> b.getBean(SwarmSizes.class).streamPeers(tenantId, streamId) == 2);

            newcomer.send(announce(HASH, peer("newcomer"), 5));

            assertThat(open.nextWith("offer")).isNotNull();
            assertThat(symmetric.silentOn("offer")).isTrue();
        }
    }

    @Test
    void aKillSwitchEngagedOnOneNodeStopsMatchingOnTheOtherWithinTwoSeconds() throws Exception {
        try (PeerClient alice = connect(a, "open"); PeerClient bob = connect(b, "open")) {
            alice.send(announce(HASH, peer("alice"), 0));
            alice.next();
            withinTwoSeconds(() -> b.getBean(SwarmSizes.class).streamPeers(tenantId, streamId) == 1);

            bob.send(announce(HASH, peer("bob"), 1));
            assertThat(alice.nextWith("offer")).as("matched across nodes before the kill switch").isNotNull();

            a.getBean(Policies.class).engageKillSwitch(tenantId, streamId, "incident", null, Actor.SYSTEM);

            // Bob's node hears of it through Redis and ends his socket, as alice's node ends hers.
            withinTwoSeconds(bob::isClosed);
            assertThat(bob.received()).anySatisfy(message -> assertThat(message.path("failure reason").asString())
                    .contains("KILL_SWITCH"));
            assertThat(bob.closeReason()).isEqualTo("KILL_SWITCH");
            withinTwoSeconds(alice::isClosed);
            assertThat(alice.closeReason()).isEqualTo("KILL_SWITCH");
        }
    }

    @Test
    void aNodeCutOffFromRedisStillMatchesItsOwnPeersAndItsPeersExpireElsewhereUntilRedisReturns() throws Exception {
        URI redis = URI.create(Replicas.redisUrl());
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
                ConfigurableApplicationContext c = Replicas.start("redis://127.0.0.1:" + proxy.port(), "meshcp-test-signaling-c",
                        MEMBERSHIP_TTL);
                PeerClient carol = connect(c, "open"); PeerClient dave = connect(c, "open")) {
            Http http = new Http(Replicas.httpPort(c));
            await().atMost(Duration.ofSeconds(30)).until(() -> shared(c));
            assertThat(http.get("/actuator/health/signaling").json().get("status").asString()).isEqualTo("UP");
            carol.send(announce(HASH, peer("carol"), 0));
            carol.next();
            SwarmSizes onB = b.getBean(SwarmSizes.class);
            withinTwoSeconds(() -> onB.streamPeers(tenantId, streamId) == 1);

            proxy.cut();

            await().atMost(Duration.ofSeconds(5)).until(() -> !shared(c));
            assertThat(http.get("/actuator/health/signaling").json().get("status").asString()).isEqualTo("DEGRADED");
            assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
            dave.send(announce(HASH, peer("dave"), 3));
            assertThat(carol.nextWith("offer")).as("peers on the cut-off node are still matched").isNotNull();
            // Nobody refreshes carol's record any more: it expires 3 s after the last refresh.
            await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                    .until(() -> onB.streamPeers(tenantId, streamId) == 0);

            proxy.restore();

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> onB.streamPeers(tenantId, streamId) == 2);
            assertThat(http.get("/actuator/health/signaling").json().get("status").asString()).isEqualTo("UP");
            try (PeerClient erin = connect(b, "open")) {
                erin.send(announce(HASH, peer("erin"), 2));
                assertThat(carol.nextWith("offer") != null || dave.nextWith("offer") != null)
                        .as("a peer on B is matched with the re-registered peers of C").isTrue();
            }
        }
    }

    @Test
    void aRedisThatStallsLongerThanACommandMayTakeButOnlyForAMomentLeavesTheNodeSharing() throws Exception {
        URI redis = URI.create(Replicas.redisUrl());
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
                ConfigurableApplicationContext c = startBehind(proxy);
                PeerClient carol = connect(c, "open"); PeerClient erin = connect(b, "open")) {
            JsonNode offer = offerFromBToC(carol, erin);

            proxy.stall();
            // Longer than a pick waits for a read (1 s); shorter than Redis may stay silent before it counts as
            // unavailable (3 s).
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> shared(c));
            carol.send(answer(HASH, peer("carol"), peer("erin"), offer.get("offer_id").asString()));
            proxy.resume();

            assertThat(erin.nextWith("answer")).as("carol's answer, sent while Redis was slow, reaches node B")
                    .isNotNull();
            assertThat(shared(c)).isTrue();
        }
    }

    @Test
    void whileANodeMatchesItsOwnPeersOnlyItsAnswersToPeersOnOtherNodesStillGoThrough() throws Exception {
        URI redis = URI.create(Replicas.redisUrl());
        try (TcpProxy proxy = new TcpProxy(redis.getHost(), redis.getPort());
                ConfigurableApplicationContext c = startBehind(proxy);
                PeerClient carol = connect(c, "open"); PeerClient erin = connect(b, "open")) {
            JsonNode offer = offerFromBToC(carol, erin);

            proxy.stall();
            await().atMost(Duration.ofSeconds(6)).until(() -> !shared(c));
            carol.send(answer(HASH, peer("carol"), peer("erin"), offer.get("offer_id").asString()));
            proxy.resume();

            assertThat(erin.nextWith("answer")).as("carol's answer, published while C counted Redis as unavailable")
                    .isNotNull();
            await().atMost(Duration.ofSeconds(5)).until(() -> shared(c));
        }
    }

    /** Starts a third node that reaches Redis through {@code proxy}, once it shares swarms with the others. */
    private static ConfigurableApplicationContext startBehind(TcpProxy proxy) {
        ConfigurableApplicationContext node = Replicas.start("redis://127.0.0.1:" + proxy.port(),
                "meshcp-test-signaling-c", MEMBERSHIP_TTL);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> shared(node));
        }
        catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** Carol (on C) announces, erin (on B) offers to her; the offer as carol got it, relayed from B to C. */
    private JsonNode offerFromBToC(PeerClient carol, PeerClient erin) throws Exception {
        carol.send(announce(HASH, peer("carol"), 0));
        carol.next();
        withinTwoSeconds(() -> b.getBean(SwarmSizes.class).streamPeers(tenantId, streamId) == 1);
        erin.send(announce(HASH, peer("erin"), 1));
        JsonNode offer = carol.nextWith("offer");
        assertThat(offer).as("erin's offer, relayed from node B to node C").isNotNull();
        return offer;
    }

    private PeerClient connect(ConfigurableApplicationContext node, String nat) {
        String token = node.getBean(SignalingTokens.class).issue(new SignalingClaims.Grant(tenantId, streamId,
                UUID.randomUUID().toString().replace("-", ""), Cohort.P2P, DeviceClass.DESKTOP,
                WireCode.parse(NatType.class, nat).orElseThrow(), "t0-s0", null, 0)).token();
        return PeerClient.connect(node.getBean(SignalingServer.class).port(), token);
    }

    private static boolean shared(ConfigurableApplicationContext node) {
        return node.getBean(RedisSwarms.class).shared();
    }

    private static void withinTwoSeconds(Callable<Boolean> condition) {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(condition);
    }
}
