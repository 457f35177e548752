package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.peer;
import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.meshcp.apikeys.IssuedKey;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;

/**
 * What the tracker tells peers that are already connected, without waiting for their next announce: a kill
 * switch, a stream made sensitive or archived, p2p turned off, a policy change, a revoked key, a node shutting
 * down. Tokens come from client-config and changes are made through the REST API or the dashboard, as players and
 * operators do.
 */
@IntegrationTest
class SignalingPushTests {

    static final String HASH_720 = "720p-info-hash-00001";

    static final String HASH_1080 = "1080p-info-hash-0001";

    /** The documented bound is 2 s (the policy cache's 1.5 s plus a sweep); on this node a change is told at once. */
    static final Duration PUSHED_WITHIN = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    SwarmSizes swarmSizes;

    @Autowired
    Tracker tracker;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MockMvc mvc;

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    IssuedKey publishable;

    UUID streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        publishable = fixtures.publishableKey(tenant.id());
        // Nobody in the holdout cohort: every client-config answer carries a token.
        assertThat(http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", with(auth, "If-Match", "\"v0\""))
                .status()).isEqualTo(200);
        streamId = createStream("final");
    }

    @Test
    void aStreamKillSwitchIsPushedToEveryConnectedPeerForEachSwarmItAnnouncedAndEmptiesThem() throws Exception {
        try (PeerClient alice = connect(config("final")); PeerClient bob = connect(config("final"))) {
            announced(alice, HASH_720, "alice");
            announced(alice, HASH_1080, "alice");
            announced(bob, HASH_720, "bob");
            assertThat(swarmSizes.streamPeers(tenant.id(), streamId)).isEqualTo(3);

            assertThat(http.put("/api/v1/streams/" + streamId + "/kill-switch", "{\"reason\": \"incident\"}", auth)
                    .status()).isEqualTo(204);

            assertThat(pushedFailures(alice, 2)).allSatisfy(failure -> assertRefusal(failure, "(KILL_SWITCH)"))
                    .extracting(failure -> failure.get("info_hash").asString())
                    .containsExactlyInAnyOrder(HASH_720, HASH_1080);
            assertThat(pushedFailures(bob, 1)).singleElement().satisfies(failure -> {
                assertRefusal(failure, "(KILL_SWITCH)");
                assertThat(failure.get("info_hash").asString()).isEqualTo(HASH_720);
            });
            await().atMost(PUSHED_WITHIN).until(() -> swarmSizes.streamPeers(tenant.id(), streamId) == 0);
            for (PeerClient peer : List.of(alice, bob)) {
                assertThat(peer.closeCode()).as("a socket that may not be matched is ended").isEqualTo(1008);
                assertThat(peer.closeReason()).isEqualTo("KILL_SWITCH");
            }
        }
    }

    @Test
    void afterTheKillSwitchIsReleasedNewTokensAreMatchedAgainAndTokensFromBeforeItAreSuperseded() throws Exception {
        JsonNode before = config("final");
        String oldToken = before.get("signaling").get("token").asString();
        try (PeerClient alice = connect(before)) {
            announced(alice, HASH_720, "alice");
            assertThat(http.put("/api/v1/streams/" + streamId + "/kill-switch", "{}", auth).status()).isEqualTo(204);
            assertRefusal(pushedFailures(alice, 1).getFirst(), "(KILL_SWITCH)");
            JsonNode during = configResponse("final").json();
            assertThat(during.get("p2p").get("enabled").asBoolean()).isFalse();
            assertThat(during.get("p2p").get("reasons").toString()).contains("KILL_SWITCH");
            assertThat(during.get("signaling").isNull()).as("no token while the switch is engaged").isTrue();

            assertThat(alice.closeCode()).isEqualTo(1008);
            assertThat(alice.closeReason()).isEqualTo("KILL_SWITCH");

            assertThat(http.delete("/api/v1/streams/" + streamId + "/kill-switch", auth).status()).isEqualTo(204);
        }

        JsonNode after = config("final");
        assertThat(tokens.verify(after.get("signaling").get("token").asString()).orElseThrow().killSwitchEpoch())
                .as("the new token has seen the engagement").isPositive();
        try (PeerClient carol = connect(after); PeerClient dave = connect(config("final"))) {
            announced(carol, HASH_720, "carol");
            dave.send(announce(HASH_720, peer("dave"), 1));
            assertThat(dave.nextWith("interval")).as("dave's announce is accepted").isNotNull();
            JsonNode offer = carol.nextWith("offer", PUSHED_WITHIN);
            assertThat(offer).as("peers are introduced again").isNotNull();
            assertThat(offer.get("peer_id").asString()).isEqualTo(peer("dave"));
        }

        try (PeerClient stale = PeerClient.connect(signalingPort(before), oldToken)) {
            stale.send(announce(HASH_720, peer("stale"), 1));

            JsonNode refusal = stale.next();
            assertThat(refusal).as("the announce itself is refused").isNotNull();
            assertThat(refusal.has("interval")).as(refusal.toString()).isFalse();
            assertRefusal(refusal, "(TOKEN_SUPERSEDED token=" + SignalingTokens.fingerprint(oldToken) + ")");
            assertThat(refusal.get("info_hash").asString()).isEqualTo(HASH_720);
            assertThat(stale.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void aTenantWideKillSwitchIsPushedToThePeersOfEveryStreamOfThatTenantOnly() throws Exception {
        createStream("other");
        Fixtures.Tenant neighbour = fixtures.tenant();
        String[] neighbourAuth = bearer(fixtures.secretKey(neighbour.id()).key());
        http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", with(neighbourAuth, "If-Match", "\"v0\""));
        http.post("/api/v1/streams", "{\"externalId\": \"final\", \"name\": \"Final\", \"kind\": \"LIVE\"}",
                neighbourAuth);
        String neighbourKey = fixtures.publishableKey(neighbour.id()).key();
        try (PeerClient alice = connect(config("final")); PeerClient bob = connect(config("other"));
                PeerClient stranger = connect(config(neighbourKey, "final"))) {
            announced(alice, HASH_720, "alice");
            announced(bob, HASH_1080, "bob");
            announced(stranger, HASH_720, "stranger");

            assertThat(http.put("/api/v1/kill-switch", "{\"reason\": \"outage\"}", auth).status()).isEqualTo(204);

            JsonNode toAlice = pushedFailures(alice, 1).getFirst();
            assertRefusal(toAlice, "(KILL_SWITCH)");
            assertThat(toAlice.get("info_hash").asString()).isEqualTo(HASH_720);
            JsonNode toBob = pushedFailures(bob, 1).getFirst();
            assertRefusal(toBob, "(KILL_SWITCH)");
            assertThat(toBob.get("info_hash").asString()).isEqualTo(HASH_1080);
            assertThat(stranger.silentOn("failure reason")).as("another tenant's peer is not told").isTrue();
            assertThat(scrape(stranger, HASH_720).get("incomplete").asInt()).as("and stays in its swarm")
                    .isEqualTo(1);
        }
    }

    @Test
    void aStreamMadeSensitiveEndsItsPeersSocketsAndTheyAreMatchedAgainOnceItIsNot() throws Exception {
        JsonNode config = config("final");
        try (PeerClient alice = connect(config); PeerClient bob = connect(config("final"))) {
            announced(alice, HASH_720, "alice");
            announced(bob, HASH_720, "bob");

            assertThat(http.put("/api/v1/streams/" + streamId, """
                    {"externalId": "final", "name": "Final", "kind": "LIVE", "sensitive": true}""", auth).status())
                    .isEqualTo(200);

            for (PeerClient peer : List.of(alice, bob)) {
                JsonNode failure = pushedFailures(peer, 1).getFirst();
                assertRefusal(failure, "(STREAM_SENSITIVE)");
                assertThat(failure.get("info_hash").asString()).isEqualTo(HASH_720);
                assertThat(peer.closeCode()).isEqualTo(1008);
            }
            await().atMost(PUSHED_WITHIN).until(() -> swarmSizes.streamPeers(tenant.id(), streamId) == 0);
        }

        assertThat(http.put("/api/v1/streams/" + streamId, """
                {"externalId": "final", "name": "Final", "kind": "LIVE", "sensitive": false}""", auth).status())
                .isEqualTo(200);
        // The token from before still holds: a client reconnecting with it, as the npm client does, is matched.
        await().atMost(PUSHED_WITHIN).untilAsserted(() -> {
            try (PeerClient again = connect(config)) {
                again.send(announce(HASH_720, peer("alice"), 0));
                JsonNode reply = again.next();
                assertThat(reply).isNotNull();
                assertThat(reply.has("failure reason")).as(reply.toString()).isFalse();
                assertThat(scrape(again, HASH_720).get("incomplete").asInt()).as("back in the swarm").isEqualTo(1);
            }
        });
    }

    @Test
    void anArchivedStreamEndsMatchingForItsConnectedPeers() throws Exception {
        try (PeerClient alice = connect(config("final"))) {
            announced(alice, HASH_720, "alice");

            assertThat(http.delete("/api/v1/streams/" + streamId, auth).status()).isEqualTo(200);

            JsonNode failure = pushedFailures(alice, 1).getFirst();
            assertRefusal(failure, "(STREAM_GONE)");
            assertThat(failure.get("info_hash").asString()).isEqualTo(HASH_720);
            await().atMost(PUSHED_WITHIN).until(() -> swarmSizes.streamPeers(tenant.id(), streamId) == 0);
            assertThat(alice.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void p2pTurnedOffInTheStreamPolicyIsPushedAsP2pDisabled() throws Exception {
        try (PeerClient alice = connect(config("final"))) {
            announced(alice, HASH_1080, "alice");

            assertThat(http.put("/api/v1/streams/" + streamId + "/policy", "{\"p2pEnabled\": false}",
                    with(auth, "If-Match", "\"v0\"")).status()).isEqualTo(200);

            JsonNode failure = pushedFailures(alice, 1).getFirst();
            assertRefusal(failure, "(P2P_DISABLED)");
            assertThat(failure.get("info_hash").asString()).isEqualTo(HASH_1080);
            assertThat(alice.silentOn("warning message")).as("a stop, not a mere policy change").isTrue();
            assertThat(alice.closeCode()).isEqualTo(1008);
            assertThat(alice.closeReason()).isEqualTo("P2P_DISABLED");
        }
    }

    @Test
    void aPolicyChangeThatKeepsP2pOnIsPushedAsAWarningAndPeersStayConnectedAndMatched() throws Exception {
        try (PeerClient alice = connect(config("final")); PeerClient bob = connect(config("final"))) {
            announced(alice, HASH_720, "alice");
            announced(alice, HASH_1080, "alice");
            announced(bob, HASH_720, "bob");
            // As the tracker's watch does every half second: the stream's peers have been looked at before the
            // change, as they have been for any peer connected for longer than that.
            tracker.recheck();

            Response changed = http.put("/api/v1/streams/" + streamId + "/policy",
                    "{\"maxPeers\": {\"desktop\": 3}}", with(auth, "If-Match", "\"v0\""));
            assertThat(changed.status()).isEqualTo(200);

            List<JsonNode> toAlice = pushed(alice, "warning message", 2);
            assertThat(toAlice).allSatisfy(warning -> {
                assertThat(warning.get("action").asString()).isEqualTo("announce");
                assertThat(warning.get("warning message").asString()).contains("POLICY_CHANGED");
            }).extracting(warning -> warning.get("info_hash").asString())
                    .containsExactlyInAnyOrder(HASH_720, HASH_1080);
            JsonNode toBob = pushed(bob, "warning message", 1).getFirst();
            assertThat(toBob.get("warning message").asString()).contains("POLICY_CHANGED");
            assertThat(toBob.get("info_hash").asString()).isEqualTo(HASH_720);

            assertThat(alice.silentOn("failure reason")).isTrue();
            assertThat(scrape(bob, HASH_720).get("incomplete").asInt()).as("both still in the swarm").isEqualTo(2);
            bob.send(announce(HASH_720, peer("bob"), 1));
            assertThat(alice.nextWith("offer")).as("and still matched").isNotNull();
        }
    }

    @Test
    void revokingThePublishableKeyEndsTheSocketsOfItsTokensOnly() throws Exception {
        IssuedKey other = fixtures.publishableKey(tenant.id());
        try (PeerClient alice = connect(config("final")); PeerClient bob = connect(config("final"));
                PeerClient carol = connect(config(other.key(), "final"))) {
            announced(alice, HASH_720, "alice");
            announced(alice, HASH_1080, "alice");
            announced(bob, HASH_720, "bob");
            announced(carol, HASH_720, "carol");

            mvc.perform(post("/keys/{id}/revoke", publishable.view().id()).with(csrf())
                    .session(Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD)))
                    .andExpect(status().is3xxRedirection());

            assertThat(pushedFailures(alice, 2)).allSatisfy(failure -> assertRefusal(failure, "(KEY_REVOKED)"))
                    .extracting(failure -> failure.get("info_hash").asString())
                    .containsExactlyInAnyOrder(HASH_720, HASH_1080);
            assertThat(alice.closeCode()).isEqualTo(1008);
            assertThat(alice.closeReason()).isEqualTo("KEY_REVOKED");
            assertRefusal(pushedFailures(bob, 1).getFirst(), "(KEY_REVOKED)");
            assertThat(bob.closeCode()).isEqualTo(1008);
            assertThat(carol.silentOn("failure reason")).as("a token of another key is not touched").isTrue();
            await().atMost(PUSHED_WITHIN).untilAsserted(() -> assertThat(scrape(carol, HASH_720).get("incomplete")
                    .asInt()).isEqualTo(1));
            assertThat(configResponse("final").status()).isEqualTo(401);
        }
    }

    @Test
    void onShutdownEachPeerIsWarnedForEachOfItsSwarmsBeforeTheGoingAwayClose() throws Exception {
        PeerClient alice = connect(config("final"));
        PeerClient bob = connect(config("final"));
        try {
            announced(alice, HASH_720, "alice");
            announced(alice, HASH_1080, "alice");
            announced(bob, HASH_720, "bob");
            alice.received();
            bob.received();

            server.stop();

            assertThat(alice.closeCode()).isEqualTo(1001);
            assertThat(bob.closeCode()).isEqualTo(1001);
            // A listener hears messages and the close in the order they came: what is queued came before the close.
            assertThat(alice.received()).allSatisfy(warning -> {
                assertThat(warning.get("action").asString()).isEqualTo("announce");
                assertThat(warning.get("warning message").asString()).contains("(TRACKER_RESTARTING)");
            }).extracting(warning -> warning.get("info_hash").asString())
                    .containsExactlyInAnyOrder(HASH_720, HASH_1080);
            assertThat(bob.received()).singleElement().satisfies(warning -> {
                assertThat(warning.get("warning message").asString()).contains("(TRACKER_RESTARTING)");
                assertThat(warning.get("info_hash").asString()).isEqualTo(HASH_720);
            });
        }
        finally {
            alice.close();
            bob.close();
            server.start();
        }
    }

    private UUID createStream(String externalId) {
        Response created = http.post("/api/v1/streams", """
                {"externalId": "%s", "name": "%s", "kind": "LIVE",
                 "renditions": [{"id": "720p"}, {"id": "1080p"}]}""".formatted(externalId, externalId), auth);
        assertThat(created.status()).isEqualTo(201);
        return UUID.fromString(created.json().get("id").asString());
    }

    private Response configResponse(String stream) {
        return http.get("/v1/client-config?key=" + publishable.key() + "&stream=" + stream + "&session=" + session());
    }

    private JsonNode config(String stream) {
        return config(publishable.key(), stream);
    }

    /** A fresh player's client-config, which must grant p2p. */
    private JsonNode config(String key, String stream) {
        Response response = http.get("/v1/client-config?key=" + key + "&stream=" + stream + "&session=" + session());
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode config = response.json();
        assertThat(config.get("p2p").get("enabled").asBoolean()).as(response.body()).isTrue();
        return config;
    }

    /** Connects to the tracker as client-config told the player to: its URL, its token. */
    private static PeerClient connect(JsonNode config) {
        return PeerClient.connect(signalingPort(config), config.get("signaling").get("token").asString());
    }

    private static int signalingPort(JsonNode config) {
        return URI.create(config.get("signaling").get("url").asString()).getPort();
    }

    private static void announced(PeerClient client, String infoHash, String name) throws InterruptedException {
        client.send(announce(infoHash, peer(name), 0));
        JsonNode reply = client.nextWith("interval");
        assertThat(reply).as(name + " is in swarm " + infoHash).isNotNull();
    }

    private static List<JsonNode> pushedFailures(PeerClient client, int count) throws InterruptedException {
        return pushed(client, "failure reason", count);
    }

    /** The next {@code count} messages with {@code field}, each within {@link #PUSHED_WITHIN}; fails if one is not. */
    private static List<JsonNode> pushed(PeerClient client, String field, int count) throws InterruptedException {
        List<JsonNode> messages = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            JsonNode message = client.nextWith(field, PUSHED_WITHIN);
            assertThat(message).as("message %d of %d with '%s'", i + 1, count, field).isNotNull();
            messages.add(message);
        }
        return messages;
    }

    private static void assertRefusal(JsonNode failure, String code) {
        assertThat(failure.has("failure reason")).as(failure.toString()).isTrue();
        assertThat(failure.get("action").asString()).isEqualTo("announce");
        assertThat(failure.get("failure reason").asString()).contains(code);
    }

    private static JsonNode scrape(PeerClient client, String infoHash) throws InterruptedException {
        client.send("{\"action\": \"scrape\", \"info_hash\": [\"" + infoHash + "\"]}");
        JsonNode reply = client.nextWith("files");
        assertThat(reply).as("a scrape is answered: the socket is open").isNotNull();
        return reply.get("files").get(infoHash);
    }

    private static String session() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
