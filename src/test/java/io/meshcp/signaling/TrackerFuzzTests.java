package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;
import io.meshcp.policies.Policies;
import io.meshcp.policies.PolicyFields;
import io.meshcp.policies.PolicyResolver;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.Fixtures;
import io.meshcp.support.IntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whatever peers send, the tracker answers with JSON or closes the socket, never throws, and its books stay
 * straight: each socket's memberships (one peer id per swarm) are the swarms' members, the stream's peer count is theirs, a viewer's
 * pairings are in swarms it is in, and once every socket has closed nothing is left. Each run is a fresh tracker
 * (with the real in-memory swarms) and four sockets on Netty's {@link EmbeddedChannel} with the real
 * {@link PeerConnection}: three admitted with real tokens (desktop/open, mobile/symmetric, tv/full-cone) and one
 * whose token is refused.
 *
 * <p>The input is one message per line; a line's first byte picks the socket (its value modulo 4), the rest is what
 * that socket sends. A line that is just {@code !} switches the stream's p2p off, the next one back on, each
 * followed by the tracker's sweep, which tells the peers (later ones do nothing: each is a database write, which
 * would slow the fuzzing down to a crawl). The seeds are conversations as clients have them: announces with offers,
 * answers, scrapes, stops, several swarms on one socket, p2p switched off and on, and malformed messages.
 */
@IntegrationTest
class TrackerFuzzTests {

    static final int REFUSED = 3;

    static final JsonMapper JSON = JsonMapper.builder().build();

    static UUID tenantId;

    static UUID streamId;

    static String keyHash;

    /** The ETag of the stream's policy, which switching p2p needs. */
    static String policyEtag;

    @Autowired
    SignalingTokens signalingTokens;

    @Autowired
    Policies policyAdmin;

    @Autowired
    PolicyResolver policies;

    @Autowired
    StreamDirectory streams;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    SignalingProperties properties;

    // One tenant for all runs: each run's tracker is new, so nothing carries over but the stream.
    @BeforeAll
    static void createStream(@Autowired Fixtures fixtures, @Autowired Streams streams,
            @Autowired Policies policyAdmin) {
        tenantId = fixtures.tenant().id();
        streamId = streams.create(tenantId, new StreamRequest("fuzzed", "Fuzzed", StreamKind.LIVE, List.of(), null,
                false), Actor.SYSTEM).id();
        keyHash = ApiKeys.hash(fixtures.publishableKey(tenantId).key());
        policyEtag = policyAdmin.streamPolicy(tenantId, streamId).etag();
    }

    @FuzzTest
    void whateverPeersSendTheTrackerAnswersAndKeepsItsBooksStraight(byte[] input) {
        MeterRegistry meters = new SimpleMeterRegistry();
        LocalSwarms swarms = new LocalSwarms();
        // Socket counts stay in memory here: nothing writes them.
        Tracker tracker = new Tracker(swarms, signalingTokens, policies, streams, apiKeys, properties, meters,
                Clock.systemUTC(), new SignalingMinutes(null, null, Clock.systemUTC()));
        // Issued for each run: a long fuzzing run outlives a token.
        String version = policies.resolve(tenantId, streamId).version();
        List<Peer> peers = new ArrayList<>();
        for (String[] player : new String[][] {{"desktop", "open"}, {"mobile", "symmetric"}, {"tv", "full-cone"}}) {
            peers.add(new Peer(tracker, signalingTokens.issue(new SignalingClaims.Grant(tenantId, streamId,
                    "fuzz-session-" + player[0], Cohort.P2P,
                    WireCode.parse(DeviceClass.class, player[0]).orElseThrow(),
                    WireCode.parse(NatType.class, player[1]).orElseThrow(), version, keyHash, 0)).token()));
        }
        peers.add(new Peer(tracker, "v1.forged.e30.AAAA"));
        assertThat(peers.get(REFUSED).connection.claims()).isNull();

        int switches = 0;
        int start = 0;
        while (start < input.length) {
            int end = start;
            while (end < input.length && input[end] != '\n') {
                end++;
            }
            if (end == start + 1 && input[start] == '!') {
                if (switches < 2) {
                    switches++;
                    switchP2p(switches == 2);
                    tracker.recheck();
                }
            }
            else if (end > start) {
                int index = Byte.toUnsignedInt(input[start]) % peers.size();
                peers.get(index).send(tracker, index == REFUSED, Arrays.copyOfRange(input, start + 1, end));
            }
            peers.forEach(Peer::takeReplies);
            assertBooksStraight(swarms, peers);
            start = end + 1;
        }

        peers.forEach(Peer::close);
        if (switches == 1) {
            switchP2p(true);
        }
        assertBooksStraight(swarms, peers);
        assertThat(swarms.snapshot()).as("every socket closed: no member left").isEmpty();
        assertThat(meters.get("meshcp.signaling.connections").gauge().value()).isZero();
    }

    /** Sets the stream's own p2pEnabled, which the tracker's next sweep tells the peers about. */
    private void switchP2p(boolean enabled) {
        policyEtag = policyAdmin.replaceStreamPolicy(tenantId, streamId, new PolicyFields(enabled, null, null, null,
                null, null, null, null, null), policyEtag, Actor.SYSTEM).etag();
    }

    private void assertBooksStraight(LocalSwarms swarms, List<Peer> peers) {
        int memberships = 0;
        for (Peer peer : peers) {
            PeerConnection connection = peer.connection;
            Map<String, String> peerIdBySwarm = connection.peerIdBySwarm();
            int held = peerIdBySwarm.size();
            assertThat(held).isLessThanOrEqualTo(properties.maxSwarmsPerConnection());
            if (!peer.channel.isActive()) {
                assertThat(held).as("a closed socket is in no swarm").isZero();
            }
            int partners = 0;
            for (Map.Entry<String, String> swarm : peerIdBySwarm.entrySet()) {
                Swarms.Member member = swarms.member(new SwarmKey(tenantId, streamId, swarm.getKey()), swarm.getValue());
                assertThat(member).as("a membership the swarm knows").isNotNull();
                assertThat(member.connection()).isSameAs(connection);
                partners += connection.links().partnersIn(swarm.getKey()).size();
            }
            assertThat(connection.links().partners()).as("pairings only in swarms the socket is in")
                    .isEqualTo(partners);
            memberships += held;
        }
        Map<SwarmKey, List<Swarms.Member>> members = swarms.snapshot();
        assertThat(members.values().stream().mapToInt(List::size).sum()).as("members are the sockets' memberships")
                .isEqualTo(memberships);
        assertThat(swarms.streamPeers(tenantId, streamId)).isEqualTo(memberships);
        members.forEach((swarm, list) -> {
            int[] counts = swarms.counts(swarm);
            assertThat(counts[0] + counts[1]).isEqualTo(list.size());
            assertThat(counts[0]).isBetween(0, list.size());
        });
    }

    /** One socket: the real {@link PeerConnection} on an embedded channel, admitted as the WebSocket handshake does. */
    static final class Peer {

        final EmbeddedChannel channel;

        final PeerConnection connection;

        Peer(Tracker tracker, String token) {
            connection = new PeerConnection(tracker, new PeerAddress(null));
            channel = new EmbeddedChannel(connection);
            channel.pipeline().fireUserEventTriggered(new WebSocketServerProtocolHandler.HandshakeComplete(
                    "/v1/signal?token=" + token, EmptyHttpHeaders.INSTANCE, null));
        }

        /**
         * Hands the message to the tracker as {@link PeerConnection} does, but directly: an exception thrown through
         * the pipeline would only close the socket, and the fuzzer must see it.
         */
        void send(Tracker tracker, boolean refused, byte[] message) {
            if (!channel.isActive()) {
                return;
            }
            if (refused) {
                tracker.answerRefused(connection, Refusal.TOKEN_INVALID, message);
            }
            else {
                tracker.handle(connection, message);
            }
            channel.runPendingTasks();
        }

        /** Every reply must be a JSON object a client can read; a close frame ends the socket. */
        void takeReplies() {
            channel.runPendingTasks();
            for (Object reply = channel.readOutbound(); reply != null; reply = channel.readOutbound()) {
                try {
                    if (reply instanceof TextWebSocketFrame text) {
                        JsonNode message = JSON.readTree(text.text());
                        assertThat(message.isObject()).as(text.text()).isTrue();
                        assertThat(message.path("action").asString("")).isIn("announce", "scrape");
                    }
                    else {
                        assertThat(reply).isInstanceOf(CloseWebSocketFrame.class);
                    }
                }
                finally {
                    ReferenceCountUtil.release(reply);
                }
            }
        }

        void close() {
            channel.close();
            channel.runPendingTasks();
            takeReplies();
        }
    }
}
