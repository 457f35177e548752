package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import io.meshcp.shared.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.TestDatabaseConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/** Limits that need small settings to test: its own application context. */
@SpringBootTest(properties = {"meshcp.embedded-postgres.enabled=false", "meshcp.signaling.idle-timeout=3s",
        "meshcp.signaling.max-connections-per-tenant=2"})
@Import({TestDatabaseConfiguration.class, Fixtures.class})
class TrackerLimitsTests {

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    Streams streams;

    UUID tenantId;

    UUID streamId;

    @BeforeEach
    void setUp() {
        tenantId = fixtures.tenant().id();
        streamId = streams.create(tenantId, new StreamRequest("limits", "Limits", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
    }

    @Test
    void aTenantMayHoldOnlySoManySockets() throws Exception {
        PeerClient first = connect();
        try (PeerClient second = connect(); PeerClient third = connect()) {
            second.send("{\"action\": \"scrape\", \"info_hash\": \"abcdefghij0123456789\"}");
            assertThat(second.nextWith("files")).isNotNull();
            assertThat(third.next().get("failure reason").asString()).contains("too many connections");
            assertThat(third.closeCode()).isEqualTo(1008);

            first.close();
            Thread.sleep(300);
            try (PeerClient fourth = connect()) {
                fourth.send("{\"action\": \"scrape\", \"info_hash\": \"abcdefghij0123456789\"}");
                assertThat(fourth.nextWith("files")).as("a freed slot can be used again").isNotNull();
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
        String token = tokens.issue(tenantId, streamId, UUID.randomUUID().toString().replace("-", ""), "p2p",
                "desktop", "open", "t0-s0").token();
        try (RawPeer peer = new RawPeer(server.port(), token, 0)) {
            long start = System.nanoTime();
            // Pings go unanswered (a bare socket does not answer them) until the server closes.
            boolean closed = peer.drainUntilClosed(10_000) >= 0;
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(closed).isTrue();
            assertThat(seconds).isBetween(2.5, 8.0);
        }
    }

    private PeerClient connect() {
        return PeerClient.connect(server.port(), tokens.issue(tenantId, streamId,
                UUID.randomUUID().toString().replace("-", ""), "p2p", "desktop", "open", "t0-s0").token());
    }
}
