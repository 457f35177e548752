package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.announceWithSdp;
import static io.meshcp.signaling.TrackerMessages.answer;
import static io.meshcp.signaling.TrackerMessages.peer;
import static io.meshcp.signaling.TrackerMessages.stopped;
import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A stream's {@code maxPeers} is a total per viewer (socket), across its announces: the peers it is paired with
 * and the offers in flight to and from it all take a slot, and a slot frees when a partner leaves. Set to 2 for
 * desktops here, through the policy API.
 */
@IntegrationTest
class PeerLimitTests {

    static final String HASH = "720p-info-hash-00001";

    @LocalServerPort
    int port;

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    SwarmSizes swarmSizes;

    @Autowired
    Fixtures fixtures;

    UUID tenantId;

    UUID streamId;

    String keyHash;

    @BeforeEach
    void setUp() {
        Http http = new Http(port);
        tenantId = fixtures.tenant().id();
        String[] auth = bearer(fixtures.secretKey(tenantId).key());
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
        streamId = UUID.fromString(http.post("/api/v1/streams",
                "{\"externalId\": \"limits\", \"name\": \"Limits\", \"kind\": \"LIVE\"}", auth).json().get("id")
                .asString());
        assertThat(http.put("/api/v1/streams/" + streamId + "/policy", "{\"maxPeers\": {\"desktop\": 2}}",
                with(auth, "If-Match", "\"v0\"")).status()).isEqualTo(200);
    }

    @Test
    void aViewerPairedWithMaxPeersPeersIsOfferedNoMoreUntilOneOfThemLeaves() throws Exception {
        try (PeerClient viewer = connect(); PeerClient first = connect(); PeerClient second = connect();
                PeerClient third = connect(); PeerClient fourth = connect()) {
            announced(first, "first");
            announced(second, "second");
            // The viewer offers to both; both answer: two pairings, its whole allowance.
            viewer.send(announce(HASH, peer("viewer"), 2));
            for (PeerClient partner : List.of(first, second)) {
                JsonNode offer = partner.nextWith("offer");
                assertThat(offer).isNotNull();
                assertThat(offer.get("peer_id").asString()).isEqualTo(peer("viewer"));
                String self = partner == first ? "first" : "second";
                partner.send(answer(HASH, peer(self), peer("viewer"), offer.get("offer_id").asString()));
                assertThat(viewer.nextWith("answer")).isNotNull();
            }

            third.send(announce(HASH, peer("third"), 3));

            assertThat(first.nextWith("offer").get("peer_id").asString())
                    .as("the third's offers go to peers with a free slot").isEqualTo(peer("third"));
            assertThat(second.nextWith("offer").get("peer_id").asString()).isEqualTo(peer("third"));
            assertThat(viewer.silentOn("offer")).as("the viewer has no free slot").isTrue();

            first.send(stopped(HASH, peer("first")));
            assertThat(first.nextWith("interval")).isNotNull();
            // Now only the viewer has a free slot: the second holds its pairing and the third's offer, the third
            // its two offers in flight.
            fourth.send(announce(HASH, peer("fourth"), 3));

            JsonNode offer = viewer.nextWith("offer");
            assertThat(offer).as("the slot of the peer that left is free again").isNotNull();
            assertThat(offer.get("peer_id").asString()).isEqualTo(peer("fourth"));
            assertThat(offersAfterQuiet(List.of(second, third), 0)).isEmpty();
        }
    }

    @Test
    void aViewersOwnOffersGoToNoMorePeersThanItsFreeSlotsAcrossAnnounces() throws Exception {
        List<PeerClient> others = new ArrayList<>();
        try (PeerClient viewer = connect()) {
            for (int i = 0; i < 4; i++) {
                PeerClient other = connect();
                others.add(other);
                announced(other, "other" + i);
            }

            viewer.send(announceWithSdp(HASH, peer("viewer"), "first", 3, null));
            Map<PeerClient, JsonNode> firstRound = offersAfterQuiet(others, 2);

            viewer.send(announceWithSdp(HASH, peer("viewer"), "second", 3, null));
            assertThat(offersAfterQuiet(others, 0)).as("both slots hold offers waiting for an answer").isEmpty();

            PeerClient partner = firstRound.keySet().iterator().next();
            String partnerId = peer("other" + others.indexOf(partner));
            partner.send(answer(HASH, partnerId, peer("viewer"),
                    firstRound.get(partner).get("offer_id").asString()));
            assertThat(viewer.nextWith("answer")).isNotNull();
            viewer.send(announceWithSdp(HASH, peer("viewer"), "third", 3, null));
            assertThat(offersAfterQuiet(others, 0)).as("a pairing and an offer in flight: still full").isEmpty();

            // The partner goes away altogether (a closed tab): its pairing's slot is freed all the same.
            partner.close();
            others.remove(partner);
            await().atMost(Duration.ofSeconds(5)).until(() -> swarmSizes.streamPeers(tenantId, streamId) == 4);
            viewer.send(announceWithSdp(HASH, peer("viewer"), "fourth", 3, null));

            Map<PeerClient, JsonNode> lastRound = offersAfterQuiet(others, 1);
            assertThat(lastRound.keySet()).as("to a peer it has no link with yet")
                    .doesNotContainAnyElementsOf(firstRound.keySet());
        }
        finally {
            others.forEach(PeerClient::close);
        }
    }

    /**
     * The offers the peers receive: {@code expected} of them (at most one each), and then no more for half a
     * second, which is how long the tracker's relaying to other sockets on this machine takes at most.
     */
    private static Map<PeerClient, JsonNode> offersAfterQuiet(List<PeerClient> peers, int expected) {
        Map<PeerClient, JsonNode> offers = new LinkedHashMap<>();
        List<JsonNode> extra = new ArrayList<>();
        Runnable collect = () -> peers.forEach(p -> p.received().stream().filter(m -> m.has("offer"))
                .forEach(offer -> {
                    if (offers.putIfAbsent(p, offer) != null) {
                        extra.add(offer);
                    }
                }));
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            collect.run();
            return offers.size() + extra.size() >= expected;
        });
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> {
            collect.run();
            return offers.size() + extra.size() == expected;
        });
        assertThat(extra).as("one offer per peer").isEmpty();
        return offers;
    }

    private static void announced(PeerClient client, String name) throws InterruptedException {
        client.send(announce(HASH, peer(name), 0));
        assertThat(client.nextWith("interval")).as(name + " announced").isNotNull();
    }

    private PeerClient connect() {
        return PeerClient.connect(server.port(), tokens.issue(new SignalingClaims.Grant(tenantId, streamId,
                UUID.randomUUID().toString().replace("-", ""), Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0", keyHash, 0))
                .token());
    }
}
