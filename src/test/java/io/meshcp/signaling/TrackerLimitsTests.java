package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.announceRenewing;
import static io.meshcp.signaling.TrackerMessages.announceWithSdp;
import static io.meshcp.signaling.TrackerMessages.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.TestDatabaseConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

/**
 * Limits that need small settings to test: its own application context. Offers expire after 300 ms here, so the
 * peer limit (offers waiting for an answer count against it) frees up quickly. Each test's sockets come from an
 * address of their own (X-Forwarded-For, which the tracker takes from a proxy on this machine), so the sockets of
 * one test never count against another's.
 */
@SpringBootTest(properties = {"meshcp.embedded-postgres.enabled=false", "meshcp.signaling.announce-interval=2",
        "meshcp.signaling.idle-timeout=5s", "meshcp.signaling.ping-interval=1s",
        "meshcp.signaling.max-connections-per-tenant=6", "meshcp.signaling.max-connections-per-session=2",
        "meshcp.signaling.max-connections-per-address=4", "meshcp.signaling.offer-ttl=300ms"})
@Import({TestDatabaseConfiguration.class, Fixtures.class})
class TrackerLimitsTests {

    static final String HASH_720 = "720p-info-hash-00001";

    static final String SCRAPE = "{\"action\": \"scrape\", \"info_hash\": \"abcdefghij0123456789\"}";

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    @Autowired
    MeterRegistry meters;

    UUID tenantId;

    UUID streamId;

    String keyHash;

    String address;

    @BeforeEach
    void setUp() {
        address = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
        tenantId = fixtures.tenant().id();
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
        streamId = streams.create(tenantId, new StreamRequest("limits", "Limits", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
    }

    @Test
    void aTenantMayHoldOnlySoManySockets() throws Exception {
        List<PeerClient> held = new ArrayList<>();
        try {
            // Each from an address of its own, so that only the tenant's bound is met.
            for (int i = 0; i < 6; i++) {
                PeerClient peer = PeerClient.connectFrom(server.port(), token(), "192.0.2." + (100 + i));
                held.add(peer);
                peer.send(SCRAPE);
                assertThat(peer.nextWith("files")).isNotNull();
            }
            try (PeerClient refused = connect()) {
                refused.send(SCRAPE);
                assertThat(refused.next().get("failure reason").asString()).contains("too many connections")
                        .contains("(TENANT_CONNECTIONS)");
                assertThat(refused.closeCode()).isEqualTo(1008);
            }

            held.removeFirst().close();

            awaitAFreedPlace();
        }
        finally {
            held.forEach(PeerClient::close);
        }
    }

    @Test
    void aPeerThatStopsReadingIsCutOffInsteadOfBufferedFor() throws Exception {
        double cutBefore = refusals("SLOW_CONSUMER");
        // A tiny receive window, so the kernel cannot absorb what the tracker sends to a peer that never reads.
        try (RawPeer slow = new RawPeer(server.port(), token(), 4096)) {
            slow.sendText(announce(HASH_720, peer("slow"), 0).getBytes(StandardCharsets.US_ASCII));
            assertThat(slow.nextText()).contains("\"interval\"");
            List<PeerClient> senders = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    PeerClient sender = connect();
                    senders.add(sender);
                    sender.send(announce(HASH_720, peer("sender" + i), 0));
                    sender.nextWith("interval");
                }
                // Each announce offers to every other member, the slow peer included: 15 KB offers. The slow peer
                // takes as many as its peer limit allows at once; they expire unanswered, and more come.
                String sdp = "v=0 " + "a".repeat(15_000);
                long offeredToSlow = 0;
                for (int round = 0; round < 200 && refusals("SLOW_CONSUMER") == cutBefore; round++) {
                    for (int i = 0; i < senders.size(); i++) {
                        senders.get(i).send(announceWithSdp(HASH_720, peer("sender" + i), "r" + round + "s" + i, 4, sdp));
                        offeredToSlow += sdp.length();
                    }
                    // Pacing, not waiting: a round every 50 ms keeps each sender within 20 messages a second.
                    Thread.sleep(50);
                }

                assertThat(refusals("SLOW_CONSUMER")).isEqualTo(cutBefore + 1);
                long received = slow.drainUntilClosed(5_000);
                assertThat(received).as("the slow peer's socket was closed").isNotNegative();
                assertThat(received).as("what was not sent was dropped, not kept").isLessThan(offeredToSlow);
                // The slow peer leaves its swarm on its own event loop, just after its socket closes.
                PeerClient other = senders.get(0);
                await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(scrape(other)
                        .get("incomplete").asInt()).as("the others are still served").isEqualTo(4));
            }
            finally {
                senders.forEach(PeerClient::close);
            }
        }
    }

    @Test
    void aPeerThatAnswersPingsButSendsNoTrackerMessageIsClosedAsIdle() throws Exception {
        double idleBefore = refusals("IDLE");
        try (PeerClient peer = connect()) {
            // The client answers every ping, which used to keep such a socket forever.
            await().atMost(Duration.ofSeconds(15)).until(peer::isClosed);

            assertThat(peer.closeCode()).isEqualTo(1000);
            assertThat(peer.closeReason()).isEqualTo("idle");
            assertThat(refusals("IDLE")).isEqualTo(idleBefore + 1);
        }
    }

    @Test
    void aPeerThatKeepsAnnouncingStaysConnectedPastTheIdleTimeout() throws Exception {
        try (PeerClient peer = connect()) {
            String peerId = peer("steady");
            // Announcing every second for longer than the 5 s idle timeout, as a client does at its interval.
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> {
                        peer.send(announce(HASH_720, peerId, 0));
                        return !peer.isClosed();
                    });

            assertThat(scrape(peer).get("incomplete").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aSilentPeerThatIgnoresPingsIsClosed() throws Exception {
        double unresponsiveBefore = refusals("UNRESPONSIVE");
        try (RawPeer peer = new RawPeer(server.port(), token(), 0)) {
            // Pings go unanswered (a bare socket does not answer them) until the server closes.
            assertThat(peer.drainUntilClosed(10_000)).as("closed").isNotNegative();
        }
        assertThat(refusals("UNRESPONSIVE")).isEqualTo(unresponsiveBefore + 1);
    }

    @Test
    void oneSessionHoldsItsShareOfSocketsWithOnePeerInEachSwarmSoAFloodCannotFillTheSwarm() throws Exception {
        double sessionRefusalsBefore = refusals("SESSION_CONNECTIONS");
        double replacedBefore = refusals("PEER_ID_REPLACED");
        String flood = token();
        List<PeerClient> sockets = new ArrayList<>();
        try (PeerClient viewer = connect(); PeerClient other = connect()) {
            viewer.send(announce(HASH_720, peer("viewer"), 0));
            assertThat(viewer.nextWith("interval")).isNotNull();
            other.send(announce(HASH_720, peer("other"), 0));
            assertThat(other.nextWith("interval")).isNotNull();

            // One token, as the attack used it: six sockets, five made-up peers announced on each.
            int admitted = 0;
            for (int s = 0; s < 6; s++) {
                // From addresses of their own, so that only the session's bound is met.
                PeerClient socket = PeerClient.connectFrom(server.port(), flood, "192.0.2." + (s + 1));
                sockets.add(socket);
                socket.send(announce(HASH_720, peer("flood" + s + "-0"), 0));
                JsonNode first = socket.next();
                if (first.has("failure reason")) {
                    assertThat(first.get("failure reason").asString()).endsWith("(SESSION_CONNECTIONS)");
                    assertThat(socket.closeCode()).isEqualTo(1008);
                    continue;
                }
                admitted++;
                for (int p = 1; p < 5; p++) {
                    socket.send(announce(HASH_720, peer("flood" + s + "-" + p), 0));
                    assertThat(socket.nextWith("interval")).isNotNull();
                }
            }

            assertThat(admitted).as("sockets of one session").isEqualTo(2);
            assertThat(refusals("SESSION_CONNECTIONS")).isEqualTo(sessionRefusalsBefore + 4);
            await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(scrape(viewer).get("incomplete")
                    .asInt()).as("two viewers and one made-up peer per flooding socket").isEqualTo(4));
            assertThat(refusals("PEER_ID_REPLACED")).isEqualTo(replacedBefore + 8);

            viewer.send(announce(HASH_720, peer("viewer"), 10));
            assertThat(other.nextWith("offer")).as("a real viewer's offer reaches the other").isNotNull();
        }
        finally {
            sockets.forEach(PeerClient::close);
        }
    }

    @Test
    void oneAddressHoldsItsShareOfSocketsBehindTheProxyChainItCameThrough() throws Exception {
        double refusalsBefore = refusals("ADDRESS_CONNECTIONS");
        List<PeerClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                PeerClient peer = connect();
                held.add(peer);
                peer.send(SCRAPE);
                assertThat(peer.nextWith("files")).isNotNull();
            }
            // The same client through a second proxy of the private network is still that client.
            try (PeerClient refused = PeerClient.connectFrom(server.port(), token(), address + ", 10.1.2.3")) {
                refused.send(SCRAPE);
                assertThat(refused.next().get("failure reason").asString()).endsWith("(ADDRESS_CONNECTIONS)");
                assertThat(refused.closeCode()).isEqualTo(1008);
            }
            assertThat(refusals("ADDRESS_CONNECTIONS")).isEqualTo(refusalsBefore + 1);
            try (PeerClient elsewhere = PeerClient.connectFrom(server.port(), token(), "203.0.113.9")) {
                elsewhere.send(SCRAPE);
                assertThat(elsewhere.nextWith("files")).as("another address is not held back").isNotNull();
            }

            held.removeFirst().close();

            awaitAFreedPlace();
        }
        finally {
            held.forEach(PeerClient::close);
        }
    }

    @Test
    void aSocketEndsWhenItsTokenExpiresUnlessItsPeerSentAFreshTokenOfTheSameViewer() throws Exception {
        double renewalsRefusedBefore = refusals("RENEWAL_REFUSED");
        Instant expiry = Instant.now().plusSeconds(3);
        String lapsingSession = session();
        String renewingSession = session();
        try (PeerClient lapsing = connect(shortToken(lapsingSession, expiry));
                PeerClient renewing = connect(shortToken(renewingSession, expiry));
                PeerClient borrowing = connect(shortToken(session(), expiry))) {
            lapsing.send(announce(HASH_720, peer("lapsing"), 0));
            assertThat(lapsing.nextWith("interval")).isNotNull();
            renewing.send(announceRenewing(HASH_720, peer("renewing"), token(renewingSession)));
            assertThat(renewing.nextWith("interval")).isNotNull();
            // Another viewer's fresh token does not extend this one's socket.
            borrowing.send(announceRenewing(HASH_720, peer("borrowing"), token(lapsingSession)));
            assertThat(borrowing.nextWith("interval")).isNotNull();
            assertThat(refusals("RENEWAL_REFUSED")).isEqualTo(renewalsRefusedBefore + 1);

            JsonNode expired = lapsing.nextWith("failure reason", Duration.ofSeconds(10));
            assertThat(expired.get("failure reason").asString()).contains("(TOKEN_EXPIRED token=");
            assertThat(lapsing.closeCode()).isEqualTo(1008);
            assertThat(borrowing.nextWith("failure reason", Duration.ofSeconds(5)).get("failure reason").asString())
                    .contains("(TOKEN_EXPIRED token=");
            assertThat(borrowing.closeCode()).isEqualTo(1008);

            // Past its first token's expiry, scraping as a client would (the idle timeout here is 5 s).
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(scrape(renewing).get("incomplete").asInt()).as("the renewed peer is still matched")
                        .isEqualTo(1);
                return Instant.now().isAfter(expiry.plusSeconds(2));
            });
            assertThat(renewing.isClosed()).isFalse();
        }
    }

    /** Once a held socket has closed, a new one from the same address is admitted again. */
    private void awaitAFreedPlace() {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            try (PeerClient again = connect()) {
                again.send(SCRAPE);
                assertThat(again.nextWith("files")).as("a freed place can be used again").isNotNull();
            }
        });
    }

    private JsonNode scrape(PeerClient client) throws InterruptedException {
        client.send("{\"action\": \"scrape\", \"info_hash\": [\"" + HASH_720 + "\"]}");
        return client.nextWith("files").get("files").get(HASH_720);
    }

    private double refusals(String reason) {
        Counter counter = meters.find("meshcp.signaling.refusals").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private PeerClient connect() {
        return connect(token());
    }

    private PeerClient connect(String token) {
        return PeerClient.connectFrom(server.port(), token, address);
    }

    private String token() {
        return token(session());
    }

    private String token(String session) {
        return tokens.issue(new SignalingClaims.Grant(tenantId, streamId, session, Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0",
                keyHash, 0)).token();
    }

    /** A token that expires at {@code expiresAt}; those client-config issues last at least ten minutes. */
    private String shortToken(String session, Instant expiresAt) {
        return tokens.sign(new SignalingClaims(tenantId, streamId, session, Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0", keyHash,
                0, expiresAt));
    }

    private static String session() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
