package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.announceWithSdp;
import static io.meshcp.signaling.TrackerMessages.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.shared.Actor;
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
 * peer limit (offers waiting for an answer count against it) frees up quickly.
 */
@SpringBootTest(properties = {"meshcp.embedded-postgres.enabled=false", "meshcp.signaling.idle-timeout=3s",
        "meshcp.signaling.max-connections-per-tenant=6", "meshcp.signaling.offer-ttl=300ms"})
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

    @BeforeEach
    void setUp() {
        tenantId = fixtures.tenant().id();
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
        streamId = streams.create(tenantId, new StreamRequest("limits", "Limits", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
    }

    @Test
    void aTenantMayHoldOnlySoManySockets() throws Exception {
        List<PeerClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                PeerClient peer = connect();
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

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                try (PeerClient again = connect()) {
                    again.send(SCRAPE);
                    assertThat(again.nextWith("files")).as("a freed slot can be used again").isNotNull();
                }
            });
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
    void aPeerThatAnswersPingsStaysConnectedPastTheIdleTimeout() throws Exception {
        try (PeerClient peer = connect()) {
            Thread.sleep(4_500);

            peer.send("{\"action\": \"scrape\", \"info_hash\": \"abcdefghij0123456789\"}");
            assertThat(peer.nextWith("files")).isNotNull();
        }
    }

    @Test
    void aSilentPeerThatIgnoresPingsIsClosed() throws Exception {
        String token = token();
        try (RawPeer peer = new RawPeer(server.port(), token, 0)) {
            long start = System.nanoTime();
            // Pings go unanswered (a bare socket does not answer them) until the server closes.
            boolean closed = peer.drainUntilClosed(10_000) >= 0;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(closed).isTrue();
            assertThat(seconds).isBetween(2.5, 8.0);
        }
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
        return PeerClient.connect(server.port(), token());
    }

    private String token() {
        return tokens.issue(new SignalingClaims.Grant(tenantId, streamId, UUID.randomUUID().toString()
                .replace("-", ""), "p2p", "desktop", "open", "t0-s0", keyHash, 0)).token();
    }
}
