package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.answer;
import static io.meshcp.signaling.TrackerMessages.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.policies.MaxPeers;
import io.meshcp.policies.Policies;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class TrackerTests {

    static final String HASH_720 = "720p-info-hash-00001";

    static final String HASH_1080 = "1080p-info-hash-0001";

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Autowired
    Policies policies;

    @Autowired
    SwarmSizes swarmSizes;

    @Autowired
    MockMvc mvc;

    @Autowired
    MeterRegistry meters;

    Fixtures.Tenant tenant;

    UUID tenantId;

    UUID streamId;

    String keyHash;

    @BeforeEach
    void setUp() {
        tenant = fixtures.tenant();
        tenantId = tenant.id();
        streamId = stream("final");
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
    }

    @Test
    void peersInOneSwarmExchangeOfferAndAnswer() throws Exception {
        try (PeerClient alice = connect("desktop", "open"); PeerClient bob = connect("desktop", "open")) {
            alice.send(announce(HASH_720, peer("alice"), 0));
            JsonNode aliceReply = alice.next();
            assertThat(aliceReply.get("interval").asInt()).as("alone, below minSwarmSize 2: come back soon")
                    .isEqualTo(15);
            assertThat(aliceReply.get("incomplete").asInt()).isEqualTo(1);

            bob.send(announce(HASH_720, peer("bob"), 3));
            JsonNode bobReply = bob.next();
            assertThat(bobReply.get("incomplete").asInt()).isEqualTo(2);
            assertThat(bobReply.get("interval").asInt()).isEqualTo(120);
            JsonNode offer = alice.nextWith("offer");
            assertThat(offer.get("peer_id").asString()).isEqualTo(peer("bob"));
            assertThat(offer.get("info_hash").asString()).isEqualTo(HASH_720);
            assertThat(offer.get("offer").get("sdp").asString()).startsWith("v=0");
            assertThat(alice.silentOn("offer")).as("one offer per target peer").isTrue();

            alice.send(answer(HASH_720, peer("alice"), peer("bob"), offer.get("offer_id").asString()));
            JsonNode answer = bob.nextWith("answer");
            assertThat(answer.get("peer_id").asString()).isEqualTo(peer("alice"));
            assertThat(answer.get("offer_id").asString()).isEqualTo(offer.get("offer_id").asString());
            assertThat(answer.get("answer").get("type").asString()).isEqualTo("answer");
        }
    }

    @Test
    void theSameViewerOnANewSocketTakesItsPeerIdOverAndAnotherViewerCannot() throws Exception {
        // A player that reconnected while its old socket is still open (half open after a network change, say).
        String viewer = session();
        try (PeerClient old = connect(viewer); PeerClient reconnected = connect(viewer);
                PeerClient mallory = connect(session()); PeerClient bob = connect("desktop", "open")) {
            old.send(announce(HASH_720, peer("alice"), 0));
            assertThat(old.next().has("interval")).isTrue();

            reconnected.send(announce(HASH_720, peer("alice"), 0));
            JsonNode taken = reconnected.next();
            assertThat(taken.has("failure reason")).as(taken.toString()).isFalse();
            assertThat(taken.get("incomplete").asInt()).as("the old socket's place, not a second one").isEqualTo(1);

            mallory.send(announce(HASH_720, peer("alice"), 0));
            assertThat(mallory.next().get("failure reason").asString())
                    .isEqualTo("peer_id is in use by another connection");

            bob.send(announce(HASH_720, peer("bob"), 1));
            assertThat(reconnected.nextWith("offer").get("peer_id").asString()).isEqualTo(peer("bob"));
            assertThat(old.silentOn("offer")).as("offers go to the socket that took over").isTrue();
            assertThat(mallory.silentOn("offer")).isTrue();
        }
    }

    @Test
    void swarmsAreSeparatePerRenditionStreamAndTenant() throws Exception {
        UUID otherStream = stream("other");
        UUID otherTenant = fixtures.tenant().id();
        UUID otherTenantStream = streams.create(otherTenant, new StreamRequest("final", "Final", StreamKind.LIVE,
                List.of(), null, false), Actor.SYSTEM).id();
        try (PeerClient listener = connect("desktop", "open");
                PeerClient otherRendition = connect("desktop", "open");
                PeerClient otherStreamPeer = connect(tenantId, otherStream, "desktop", "open");
                PeerClient otherTenantPeer = connect(otherTenant, otherTenantStream, "desktop", "open")) {
            listener.send(announce(HASH_720, peer("listener"), 0));
            listener.next();

            otherRendition.send(announce(HASH_1080, peer("rendition"), 3));
            otherStreamPeer.send(announce(HASH_720, peer("stream"), 3));
            otherTenantPeer.send(announce(HASH_720, peer("tenant"), 3));

            assertThat(otherRendition.next().get("incomplete").asInt()).isEqualTo(1);
            assertThat(otherStreamPeer.next().get("incomplete").asInt()).isEqualTo(1);
            assertThat(otherTenantPeer.next().get("incomplete").asInt()).isEqualTo(1);
            assertThat(listener.silentOn("offer")).isTrue();
        }
    }

    @Test
    void symmetricNatIsNeverPairedWithSymmetricOrPortRestricted() throws Exception {
        try (PeerClient symmetric = connect("desktop", "symmetric");
                PeerClient portRestricted = connect("desktop", "port-restricted");
                PeerClient open = connect("desktop", "open");
                PeerClient newcomer = connect("desktop", "symmetric")) {
            symmetric.send(announce(HASH_720, peer("sym"), 0));
            portRestricted.send(announce(HASH_720, peer("portr"), 0));
            open.send(announce(HASH_720, peer("open"), 0));
            symmetric.next();
            portRestricted.next();
            open.next();

            newcomer.send(announce(HASH_720, peer("newcomer"), 5));

            assertThat(open.nextWith("offer")).isNotNull();
            assertThat(symmetric.silentOn("offer")).isTrue();
            assertThat(portRestricted.silentOn("offer")).isTrue();
        }
    }

    @Test
    void offersGoToNoMorePeersThanTheDeviceClassAllows() throws Exception {
        policies.replaceStreamPolicy(tenantId, streamId, new PolicyFields(null, null, new MaxPeers(null, 1, null),
                null, null, null, null, null, null), "\"v0\"", Actor.SYSTEM);
        try (PeerClient a = connect("desktop", "open"); PeerClient b = connect("desktop", "open");
                PeerClient c = connect("desktop", "open"); PeerClient phone = connect("mobile", "open")) {
            for (PeerClient peer : List.of(a, b, c)) {
                peer.send(announce(HASH_720, peer("p" + System.identityHashCode(peer)), 0));
                peer.next();
            }

            phone.send(announce(HASH_720, peer("phone"), 5));

            int received = 0;
            for (PeerClient peer : List.of(a, b, c)) {
                received += peer.silentOn("offer") ? 0 : 1;
            }
            assertThat(received).isEqualTo(1);
        }
    }

    @Test
    void belowTheMinimumSwarmSizeNoOffersAreForwarded() throws Exception {
        policies.replaceStreamPolicy(tenantId, streamId, new PolicyFields(null, null, null, null, null, null, null,
                3, null), "\"v0\"", Actor.SYSTEM);
        try (PeerClient first = connect("desktop", "open"); PeerClient second = connect("desktop", "open");
                PeerClient third = connect("desktop", "open")) {
            first.send(announce(HASH_720, peer("first"), 0));
            first.next();
            second.send(announce(HASH_720, peer("second"), 3));
            second.next();
            assertThat(first.silentOn("offer")).as("two peers: below the minimum of three").isTrue();

            third.send(announce(HASH_720, peer("third"), 3));
            assertThat(first.nextWith("offer")).as("three peers: matching starts").isNotNull();
        }
    }

    @Test
    void aKillSwitchStopsMatchingAndAnswersTheNextAnnounceWithAFailureReason() throws Exception {
        try (PeerClient a = connect("desktop", "open"); PeerClient b = connect("desktop", "open")) {
            a.send(announce(HASH_720, peer("a"), 0));
            a.next();
            policies.engageKillSwitch(tenantId, streamId, "incident", null, Actor.SYSTEM);

            b.send(announce(HASH_720, peer("b"), 3));

            assertThat(b.next().get("failure reason").asString()).contains("KILL_SWITCH");
            assertThat(b.closeCode()).isEqualTo(1008);
            assertThat(a.closeCode()).as("told, and ended").isEqualTo(1008);
            List<JsonNode> toA = a.received();
            assertThat(toA).noneMatch(message -> message.has("offer"));
            assertThat(toA).anySatisfy(message -> assertThat(message.path("failure reason").asString())
                    .contains("KILL_SWITCH"));
        }
    }

    @Test
    void forgedExpiredAndHoldoutTokensAreRefusedInTheAnswerToTheFirstAnnounceWithItsInfoHashAndClosed()
            throws Exception {
        String valid = token("desktop", "open");
        String expired = tokens.sign(new SignalingClaims(tenantId, streamId, session(), Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN,
                "t0-s0", keyHash, 0, Instant.now().minusSeconds(1)));
        String holdout = tokens.issue(new SignalingClaims.Grant(tenantId, streamId, session(), Cohort.HOLDOUT, DeviceClass.DESKTOP,
                NatType.OPEN, "t0-s0", keyHash, 0)).token();
        for (List<String> refusal : List.of(List.of("", "TOKEN_INVALID"), List.of("garbage", "TOKEN_INVALID"),
                List.of(valid.substring(0, valid.length() - 2) + "xx", "TOKEN_INVALID"),
                List.of(expired, "TOKEN_EXPIRED"), List.of(holdout, "HOLDOUT_COHORT"))) {
            String token = refusal.get(0);
            try (PeerClient refused = PeerClient.connect(server.port(), token)) {
                assertThat(refused.silentOn("failure reason")).as("nothing before the client speaks").isTrue();

                refused.send(announce(HASH_720, peer("refused"), 1));

                JsonNode failure = refused.next();
                assertThat(failure.get("info_hash").asString()).as(token).isEqualTo(HASH_720);
                assertThat(failure.get("action").asString()).isEqualTo("announce");
                assertThat(failure.get("failure reason").asString()).as(token).contains("(" + refusal.get(1));
                if (refusal.get(1).startsWith("TOKEN")) {
                    assertThat(failure.get("failure reason").asString())
                            .endsWith("token=" + SignalingTokens.fingerprint(token) + ")");
                }
                assertThat(refused.closeCode()).as(token).isEqualTo(1008);
            }
        }
    }

    @Test
    void malformedMessagesAreAnsweredAndRepeatedAbuseIsClosed() throws Exception {
        try (PeerClient peer = connect("desktop", "open")) {
            peer.send("{not json");
            assertThat(peer.next().get("failure reason").asString()).isEqualTo("invalid JSON");
            peer.send("{\"action\": \"dance\"}");
            assertThat(peer.next().get("failure reason").asString()).isEqualTo("unknown action");
            peer.send("{\"action\": \"announce\", \"info_hash\": 5, \"peer_id\": \"short\"}");
            assertThat(peer.next().get("failure reason").asString()).contains("20-character");
            peer.send("[1, 2]");
            assertThat(peer.next().has("failure reason")).isTrue();
            peer.send("{\"action\": \"announce\", \"info_hash\": \"" + "\u20ac".repeat(20) + "\", \"peer_id\": \""
                    + peer("x") + "\"}");
            assertThat(peer.next().has("failure reason")).isTrue();
            peer.send("{\"action\": \"scrape\", \"info_hash\": [1]}");

            assertThat(peer.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void anOversizeMessageClosesTheSocketWith1009() throws Exception {
        try (PeerClient peer = connect("desktop", "open")) {
            peer.send("{\"action\": \"announce\", \"pad\": \"" + "x".repeat(70_000) + "\"}");

            assertThat(peer.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aFragmentedMessageOverTheLimitClosesTheSocketWith1009() throws Exception {
        try (PeerClient peer = connect("desktop", "open")) {
            // Each frame is under the 64 KiB limit; the message they make is not.
            peer.sendFragmented("{\"action\": \"announce\", \"pad\": \"" + "x".repeat(40_000),
                    "x".repeat(40_000) + "\"}");

            assertThat(peer.closeCode()).isEqualTo(1009);
        }
    }

    @Test
    void aBinaryFrameClosesTheSocketWith1003() throws Exception {
        try (PeerClient peer = connect("desktop", "open")) {
            peer.sendBinary(new byte[] {1, 2, 3});

            assertThat(peer.closeCode()).isEqualTo(1003);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreAnsweredAsInvalidJsonAndTheSocketStaysUsable() throws Exception {
        try (RawPeer peer = new RawPeer(server.port(), token("desktop", "open"), 0)) {
            byte[] prefix = "{\"action\": \"scrape\", \"info_hash\": \"".getBytes(StandardCharsets.US_ASCII);
            byte[] message = Arrays.copyOf(prefix, prefix.length + 4);
            // 0xC3 must be followed by a continuation byte (10xxxxxx); "(" is not one.
            System.arraycopy(new byte[] {(byte) 0xC3, '(', '"', '}'}, 0, message, prefix.length, 4);
            peer.sendText(message);

            assertThat(peer.nextText()).contains("\"failure reason\":\"invalid JSON\"");
            peer.sendText(("{\"action\": \"scrape\", \"info_hash\": \"" + HASH_720 + "\"}")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(peer.nextText()).contains("\"files\"");
        }
    }

    @Test
    void theTrackerCountsConnectionsAnnouncesRelaysAndRefusalsByReason() throws Exception {
        double announces = meters.counter("meshcp.signaling.announces").count();
        double offers = meters.counter("meshcp.signaling.offers.relayed").count();
        double answers = meters.counter("meshcp.signaling.answers.relayed").count();
        double malformed = refusals("MALFORMED");
        double connections = meters.get("meshcp.signaling.connections").gauge().value();
        try (PeerClient alice = connect("desktop", "open"); PeerClient bob = connect("desktop", "open")) {
            alice.send(announce(HASH_720, peer("alice"), 0));
            alice.next();
            bob.send(announce(HASH_720, peer("bob"), 1));
            JsonNode offer = alice.nextWith("offer");
            alice.send(answer(HASH_720, peer("alice"), peer("bob"), offer.get("offer_id").asString()));
            bob.nextWith("answer");
            bob.send("{not json");
            bob.nextWith("failure reason");

            assertThat(meters.get("meshcp.signaling.connections").gauge().value()).isEqualTo(connections + 2);
            assertThat(meters.counter("meshcp.signaling.announces").count()).isEqualTo(announces + 3);
            assertThat(meters.counter("meshcp.signaling.offers.relayed").count()).isEqualTo(offers + 1);
            assertThat(meters.counter("meshcp.signaling.answers.relayed").count()).isEqualTo(answers + 1);
            assertThat(refusals("MALFORMED")).isEqualTo(malformed + 1);
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(meters.get("meshcp.signaling.connections").gauge().value()).isEqualTo(connections));
    }

    @Test
    void floodingPastTheMessageRateClosesTheSocket() throws Exception {
        double refusedBefore = refusals("RATE_LIMIT");
        try (PeerClient peer = connect("desktop", "open")) {
            // The tracker may close the socket before the last of these is sent: sending then fails, as it should.
            try {
                for (int i = 0; i < 200; i++) {
                    peer.send("{\"action\": \"scrape\", \"info_hash\": \"" + HASH_720 + "\"}");
                }
            }
            catch (CompletionException closedMeanwhile) {
                assertThat(closedMeanwhile).hasRootCauseInstanceOf(IOException.class);
            }

            // 1008, unless the client's own writes into the closed socket failed before it read the close frame.
            assertThat(peer.closeCode()).isIn(1008, -1);
            assertThat(refusals("RATE_LIMIT")).as("closed for its rate").isGreaterThan(refusedBefore);
        }
    }

    @Test
    void aPeerIdHeldByAnotherConnectionCannotBeUsed() throws Exception {
        try (PeerClient owner = connect("desktop", "open"); PeerClient spoofer = connect("desktop", "open")) {
            owner.send(announce(HASH_720, peer("owner"), 0));
            owner.next();

            spoofer.send(announce(HASH_720, peer("owner"), 2));

            assertThat(spoofer.next().get("failure reason").asString()).contains("in use");
            assertThat(owner.silentOn("offer")).isTrue();
        }
    }

    @Test
    void aSecondPeerIdOnOneSocketInTheSameSwarmReplacesTheFirstSoOneSocketIsOnePeerThere() throws Exception {
        try (PeerClient shared = connect("desktop", "open"); PeerClient other = connect("desktop", "open")) {
            shared.send(announce(HASH_720, peer("first"), 0));
            shared.next();
            shared.send(announce(HASH_720, peer("second"), 0));
            assertThat(shared.next().get("incomplete").asInt()).isEqualTo(1);
            shared.send(announce(HASH_1080, peer("first"), 0));
            assertThat(shared.next().get("incomplete").asInt()).as("other swarms keep their own peer id").isEqualTo(1);

            other.send(announce(HASH_720, peer("other"), 1));
            assertThat(other.next().get("incomplete").asInt()).isEqualTo(2);
            JsonNode offer = shared.nextWith("offer");
            assertThat(offer.get("info_hash").asString()).isEqualTo(HASH_720);
            shared.send(answer(HASH_720, peer("first"), peer("other"), offer.get("offer_id").asString()));
            assertThat(shared.nextWith("failure reason").get("failure reason").asString())
                    .as("the replaced peer id is no longer in the swarm").contains("announce before answering");
            shared.send(answer(HASH_720, peer("second"), peer("other"), offer.get("offer_id").asString()));
            assertThat(other.nextWith("answer").get("peer_id").asString()).isEqualTo(peer("second"));
        }
    }

    @Test
    void theStreamPageShowsItsLiveSwarmsWithSizeAndNatMix() throws Exception {
        try (PeerClient open = connect("desktop", "open"); PeerClient symmetric = connect("mobile", "symmetric")) {
            open.send(announce(HASH_720, peer("open"), 0));
            open.next();
            symmetric.send(announce(HASH_720, peer("sym"), 0));
            symmetric.next();
            MockHttpSession session = Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD);

            String html = mvc.perform(get("/streams/{id}/swarms", streamId).session(session))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

            assertThat(html).contains("2 peers on this node").contains("open 1").contains("symmetric 1")
                    .contains(HexFormat.of().formatHex(HASH_720.getBytes(StandardCharsets.ISO_8859_1)).substring(0, 12));
        }
    }

    @Test
    void answersToOffersThatWereNeverMadeAreNotRelayed() throws Exception {
        try (PeerClient a = connect("desktop", "open"); PeerClient b = connect("desktop", "open")) {
            a.send(announce(HASH_720, peer("a"), 0));
            a.next();
            b.send(announce(HASH_720, peer("b"), 0));
            b.next();

            a.send(answer(HASH_720, peer("a"), peer("b"), "never-offered"));

            assertThat(a.next().get("warning message").asString()).contains("unknown");
            assertThat(b.silentOn("answer")).isTrue();
        }
    }

    @Test
    void aSocketMayJoinOnlySoManySwarms() throws Exception {
        try (PeerClient peer = connect("desktop", "open")) {
            for (int i = 0; i < 10; i++) {
                peer.send(announce(String.format("swarm-%014d", i), peer("many"), 0));
                assertThat(peer.next().has("failure reason")).isFalse();
            }

            peer.send(announce("swarm-one-too-many-1", peer("many"), 0));

            assertThat(peer.next().get("failure reason").asString()).contains("too many swarms");
        }
    }

    @Test
    void disconnectedAndStoppedPeersLeaveTheirSwarmsAtOnce() throws Exception {
        try (PeerClient watcher = connect("desktop", "open")) {
            watcher.send(announce(HASH_720, peer("watcher"), 0));
            watcher.next();
            PeerClient leaver = connect("desktop", "open");
            leaver.send(announce(HASH_720, peer("leaver"), 0));
            leaver.next();
            assertThat(scrape(watcher).get("incomplete").asInt()).isEqualTo(2);

            assertThat(swarmSizes.streamPeers(tenantId, streamId)).as("what client-config sees").isEqualTo(2);

            leaver.close();
            // At once: as soon as its socket closes, not when a ping or the idle timeout (40 s, 300 s) finds it gone.
            // The count first: each scrape is a message to the tracker, which limits how many a peer sends a second.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
                assertThat(swarmSizes.streamPeers(tenantId, streamId)).isEqualTo(1);
                assertThat(scrape(watcher).get("incomplete").asInt()).isEqualTo(1);
            });

            watcher.send("{\"action\": \"announce\", \"event\": \"stopped\", \"info_hash\": \"" + HASH_720
                    + "\", \"peer_id\": \"" + peer("watcher") + "\"}");
            watcher.next();
            assertThat(scrape(watcher).get("incomplete").asInt()).isZero();
            assertThat(swarmSizes.streamPeers(tenantId, streamId)).isZero();
        }
    }

    @Test
    void onShutdownEveryPeerIsToldToReconnectElsewhereAndLeavesItsSwarm() throws Exception {
        PeerClient first = connect("desktop", "open");
        PeerClient second = connect("mobile", "restricted");
        first.send(announce(HASH_720, peer("first"), 0));
        first.next();
        second.send(announce(HASH_720, peer("second"), 0));
        second.next();
        assertThat(swarmSizes.streamPeers(tenantId, streamId)).isEqualTo(2);
        int port = server.port();
        long started = System.nanoTime();
        try {
            server.stop();

            assertThat(first.closeCode()).as("1001: going away").isEqualTo(1001);
            assertThat(second.closeCode()).isEqualTo(1001);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(swarmSizes.streamPeers(tenantId, streamId)).isZero();
            assertThatThrownBy(() -> PeerClient.connect(port, token("desktop", "open")))
                    .as("a stopped node takes no new peers")
                    .hasCauseInstanceOf(ConnectException.class);
        }
        finally {
            first.close();
            second.close();
            server.start();
        }
    }

    private JsonNode scrape(PeerClient client) throws InterruptedException {
        client.send("{\"action\": \"scrape\", \"info_hash\": [\"" + HASH_720 + "\"]}");
        return client.nextWith("files").get("files").get(HASH_720);
    }

    private UUID stream(String externalId) {
        return streams.create(tenantId, new StreamRequest(externalId, externalId, StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
    }

    private PeerClient connect(String device, String nat) {
        return connect(tenantId, streamId, device, nat);
    }

    /** A desktop viewer on an open network, in the given playback session. */
    private PeerClient connect(String session) {
        return PeerClient.connect(server.port(), tokens.issue(new SignalingClaims.Grant(tenantId, streamId, session,
                Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0", keyHash, 0)).token());
    }

    private String token(String device, String nat) {
        return tokens.issue(new SignalingClaims.Grant(tenantId, streamId, session(), Cohort.P2P, device(device), nat(nat), "t0-s0",
                keyHash, 0)).token();
    }

    private double refusals(String reason) {
        Counter counter = meters.find("meshcp.signaling.refusals").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private PeerClient connect(UUID tenant, UUID stream, String device, String nat) {
        String key = tenant.equals(tenantId) ? keyHash : ApiKeys.hash(fixtures.publishableKey(tenant).key());
        return PeerClient.connect(server.port(), tokens.issue(new SignalingClaims.Grant(tenant, stream, session(),
                Cohort.P2P, device(device), nat(nat), "t0-s0", key, 0)).token());
    }

    private static String session() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static DeviceClass device(String code) {
        return WireCode.parse(DeviceClass.class, code).orElseThrow();
    }

    private static NatType nat(String code) {
        return WireCode.parse(NatType.class, code).orElseThrow();
    }
}
