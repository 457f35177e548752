package io.meshcp.signaling;

import static io.meshcp.signaling.TrackerMessages.announce;
import static io.meshcp.signaling.TrackerMessages.peer;
import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http.Response;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The tracker sees only opaque info hashes; players report which rendition each is in their heartbeats
 * ({@code infoHash}, 40 lowercase hex digits), and the stream page's live swarms are named by it.
 */
@IntegrationTest
class SwarmNamesTests {

    static final String HASH_720 = "720p-info-hash-00001";

    static final String HASH_1080 = "1080p-info-hash-0001";

    @LocalServerPort
    int port;

    @Autowired
    SignalingServer server;

    @Autowired
    SignalingTokens tokens;

    @Autowired
    Fixtures fixtures;

    @Autowired
    MockMvc mvc;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Fixtures.Tenant tenant;

    String publishable;

    UUID streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        publishable = fixtures.publishableKey(tenant.id()).key();
        streamId = UUID.fromString(http.post("/api/v1/streams", """
                {"externalId": "final", "name": "Final", "kind": "LIVE",
                 "renditions": [{"id": "720p"}, {"id": "1080p"}]}""", bearer(fixtures.secretKey(tenant.id()).key()))
                .json().get("id").asString());
    }

    @Test
    void aLiveSwarmIsNamedOnTheStreamPageByTheRenditionItsPlayersReport() throws Exception {
        try (PeerClient alice = connect(); PeerClient bob = connect()) {
            alice.send(announce(HASH_720, peer("alice"), 0));
            assertThat(alice.nextWith("interval")).isNotNull();
            bob.send(announce(HASH_1080, peer("bob"), 0));
            assertThat(bob.nextWith("interval")).isNotNull();

            Response ingest = http.post("/v1/telemetry?key=" + publishable, batch(event(hex(HASH_720), "720p")));
            assertThat(ingest.status()).isEqualTo(200);
            assertThat(ingest.json().get("accepted").asInt()).isEqualTo(1);
            assertThat(ingest.json().get("rejected")).isEmpty();

            String html = mvc.perform(get("/streams/{id}/swarms", streamId)
                    .session(Dashboard.login(mvc, tenant.ownerEmail(), Fixtures.PASSWORD)))
                    .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

            assertThat(row(html, HASH_720)).contains("<strong>720p</strong>").doesNotContain("not reported yet");
            assertThat(row(html, HASH_1080)).as("a swarm nobody has named yet").contains("not reported yet")
                    .doesNotContain("<strong>");
        }
    }

    @Test
    void anInfoHashThatIsNotFortyLowercaseHexDigitsIsRejectedNamingTheFieldAndNamesNoSwarm() {
        String valid = hex(HASH_720);
        List<String> events = new ArrayList<>();
        for (String bad : List.of("\"" + valid.toUpperCase() + "\"", "\"" + valid.substring(1) + "\"",
                "\"" + valid + "0\"", "\"" + valid.substring(1) + "g\"", "42")) {
            events.add(event(null, "720p").replace("\"infoHash\": null", "\"infoHash\": " + bad));
        }

        Response ingest = http.post("/v1/telemetry?key=" + publishable, batch(events.toArray(String[]::new)));

        assertThat(ingest.status()).isEqualTo(200);
        assertThat(ingest.json().get("accepted").asInt()).isZero();
        assertThat(ingest.json().get("rejected")).hasSize(5).allSatisfy(rejection -> assertThat(rejection
                .get("reason").asString()).startsWith("infoHash: must match [0-9a-f]{40,40}"));
        assertThat(jdbc.queryForObject("select count(*) from telemetry_events where tenant_id = ?", Integer.class,
                tenant.id())).isZero();
        assertThat(jdbc.queryForObject("select count(*) from stream_swarm_renditions where tenant_id = ?",
                Integer.class, tenant.id())).isZero();
    }

    /** The table row of the swarm with this info hash, found by the start of its hex that the page shows. */
    private static String row(String html, String infoHash) {
        String shown = hex(infoHash).substring(0, 8);
        for (String row : html.split("<tr")) {
            if (row.contains(shown)) {
                return row;
            }
        }
        throw new AssertionError("no row for swarm " + shown + " in " + html);
    }

    private static String hex(String infoHash) {
        return HexFormat.of().formatHex(infoHash.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String batch(String... events) {
        return "{\"events\": [" + String.join(",", events) + "]}";
    }

    private static String event(String infoHash, String rendition) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "final", "rendition": "%s",
                 "cohort": "p2p", "intervalMs": 10000, "cdnBytes": 1000, "p2pBytesDown": 3000, "p2pBytesUp": 500,
                 "peers": 1, "playMs": 9800, "rebufferMs": 0, "infoHash": %s}"""
                .formatted(UUID.randomUUID(), Instant.now(), UUID.randomUUID().toString().substring(0, 8), rendition,
                        infoHash == null ? "null" : "\"" + infoHash + "\"");
    }

    private PeerClient connect() {
        return PeerClient.connect(server.port(), tokens.issue(new SignalingClaims.Grant(tenant.id(), streamId,
                UUID.randomUUID().toString().replace("-", ""), Cohort.P2P, DeviceClass.DESKTOP, NatType.OPEN, "t0-s0",
                ApiKeys.hash(publishable), 0)).token());
    }
}
