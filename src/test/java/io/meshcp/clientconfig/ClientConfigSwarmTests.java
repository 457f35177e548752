package io.meshcp.clientconfig;

import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What client-config tells the player SDK besides p2p: the swarm id its info hashes derive from (by stream and
 * content version, never by CDN host), the stream's renditions and content version, how often to ask again; and
 * pages of the control plane itself (the demo player) may call the player endpoints with any publishable key.
 */
@IntegrationTest
class ClientConfigSwarmTests {

    static final String PLAYER_ORIGIN = "https://player.example.com";

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    Http http;

    Fixtures.Tenant tenant;

    String[] auth;

    String publishable;

    String streamId;

    @BeforeEach
    void setUp() {
        http = new Http(port);
        tenant = fixtures.tenant();
        auth = bearer(fixtures.secretKey(tenant.id()).key());
        publishable = fixtures.publishableKey(tenant.id(), PLAYER_ORIGIN).key();
        Response created = http.post("/api/v1/streams", stream("final", "https://cdn-a.example.com/final/master.m3u8"),
                auth);
        assertThat(created.status()).isEqualTo(201);
        streamId = created.json().get("id").asString();
    }

    @Test
    void theSwarmIdIsTheSameForEveryViewerAndManifestHostAndDiffersBetweenStreams() {
        JsonNode first = config("final");
        JsonNode second = config("final");

        String swarmId = first.get("swarmId").asString();
        assertThat(swarmId).matches("[A-Za-z0-9_-]{22}");
        assertThat(second.get("session").asString()).isNotEqualTo(first.get("session").asString());
        assertThat(second.get("swarmId").asString()).as("another viewer of the same content").isEqualTo(swarmId);
        assertThat(first.get("stream").get("contentVersion").asInt()).isEqualTo(1);
        assertThat(first.get("stream").get("renditions")).extracting(r -> r.get("id").asString() + " "
                + r.get("bitrate").asLong()).containsExactly("720p 3000000", "1080p 6000000");
        assertThat(first.get("refreshIntervalMs").asLong()).isEqualTo(30_000);
        assertThat(first.toString()).as("opaque: names neither the organisation nor the stream's own id")
                .doesNotContain(tenant.id().toString()).doesNotContain(streamId);

        // The same content served from another CDN host.
        assertThat(http.put("/api/v1/streams/" + streamId, stream("final",
                "https://cdn-b.example.net/other/path/master.m3u8?token=signed"), auth).status()).isEqualTo(200);
        assertThat(config("final").get("swarmId").asString()).isEqualTo(swarmId);

        http.post("/api/v1/streams", stream("other", "https://cdn-a.example.com/final/master.m3u8"), auth);
        assertThat(config("other").get("swarmId").asString()).as("another stream, even on the same manifest URL")
                .isNotEqualTo(swarmId);
    }

    @Test
    void raisingTheContentVersionMovesItsViewersToANewSwarmAndIsAudited() {
        String before = config("final").get("swarmId").asString();

        Response raised = http.post("/api/v1/streams/" + streamId + "/content-version", "", auth);

        assertThat(raised.status()).isEqualTo(200);
        assertThat(raised.json().get("contentVersion").asInt()).isEqualTo(2);
        JsonNode after = config("final");
        assertThat(after.get("stream").get("contentVersion").asInt()).isEqualTo(2);
        assertThat(after.get("swarmId").asString()).isNotEqualTo(before);
        assertThat(config("final").get("swarmId").asString()).as("the same for every viewer of the new content")
                .isEqualTo(after.get("swarmId").asString());
        assertThat(http.post("/api/v1/streams/" + streamId + "/content-version", "", auth).json()
                .get("contentVersion").asInt()).isEqualTo(3);
        assertThat(config("final").get("swarmId").asString()).isNotIn(before, after.get("swarmId").asString());

        JsonNode audit = http.get("/api/v1/audit-events?type=STREAM_CONTENT_VERSION_RAISED", auth).json();
        assertThat(audit.get("items")).extracting(item -> item.get("details").get("contentVersion").asInt())
                .containsExactly(3, 2);
        assertThat(audit.get("items").get(0).get("details").get("externalId").asString()).isEqualTo("final");
    }

    @Test
    void theContentVersionOfAnUnknownOrAnotherTenantsStreamIsNotFoundAndNothingChanges() {
        Fixtures.Tenant other = fixtures.tenant();
        String[] otherAuth = bearer(fixtures.secretKey(other.id()).key());
        String theirs = http.post("/api/v1/streams", stream("theirs", null), otherAuth).json().get("id").asString();

        for (String id : List.of(UUID.randomUUID().toString(), theirs)) {
            Response refused = http.post("/api/v1/streams/" + id + "/content-version", "", auth);
            assertThat(refused.status()).as(id).isEqualTo(404);
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:meshcp:problem:not-found");
        }
        Response malformed = http.post("/api/v1/streams/not-a-uuid/content-version", "", auth);
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("errors").get(0).get("field").asString()).isEqualTo("id");

        assertThat(http.get("/api/v1/streams/" + theirs, otherAuth).json().get("contentVersion").asInt())
                .isEqualTo(1);
        assertThat(http.get("/api/v1/audit-events?type=STREAM_CONTENT_VERSION_RAISED", auth).json()
                .get("totalItems").asLong()).isZero();
        assertThat(http.get("/api/v1/audit-events?type=STREAM_CONTENT_VERSION_RAISED", otherAuth).json()
                .get("totalItems").asLong()).isZero();
    }

    @Test
    void theControlPlanesOwnOriginMayUseAnyPublishableKeyWhileForeignOriginsAreStillRefused() {
        String own = "http://localhost:" + port;
        String telemetry = "{\"events\": [{\"eventId\": \"" + UUID.randomUUID() + "\", \"ts\": \"" + Instant.now()
                + "\", \"sessionId\": \"session-own-origin\", \"streamId\": \"final\", \"cohort\": \"p2p\", "
                + "\"intervalMs\": 10000, \"cdnBytes\": 1, \"p2pBytesDown\": 0, \"p2pBytesUp\": 0, \"playMs\": 1, "
                + "\"rebufferMs\": 0}]}";

        Response ownConfig = configFrom(own);
        assertThat(ownConfig.status()).as(ownConfig.body()).isEqualTo(200);
        assertThat(ownConfig.header("Access-Control-Allow-Origin")).isEqualTo(own);
        Response ownTelemetry = http.post("/v1/telemetry?key=" + publishable, telemetry, "Origin", own);
        assertThat(ownTelemetry.status()).isEqualTo(200);
        assertThat(ownTelemetry.json().get("accepted").asInt()).isEqualTo(1);

        assertThat(configFrom(PLAYER_ORIGIN).status()).as("the key's own origin").isEqualTo(200);
        for (String foreign : List.of("https://evil.example.net", "http://localhost:" + (port + 1),
                "https://localhost:" + port, "http://127.0.0.2:" + port)) {
            Response config = configFrom(foreign);
            assertThat(config.status()).as(foreign).isEqualTo(403);
            assertThat(config.json().get("type").asString()).isEqualTo("urn:meshcp:problem:forbidden");
            assertThat(http.post("/v1/telemetry?key=" + publishable, telemetry.replace("session-own-origin",
                    "session-foreign"), "Origin", foreign).status()).as(foreign).isEqualTo(403);
        }
    }

    private JsonNode config(String stream) {
        Response response = http.get("/v1/client-config?key=" + publishable + "&stream=" + stream);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json();
    }

    private Response configFrom(String origin) {
        return http.get("/v1/client-config?key=" + publishable + "&stream=final", "Origin", origin);
    }

    private static String stream(String externalId, String manifestUrl) {
        return """
                {"externalId": "%s", "name": "%s", "kind": "LIVE", "manifestUrl": %s,
                 "renditions": [{"id": "720p", "bitrate": 3000000}, {"id": "1080p", "bitrate": 6000000}]}"""
                .formatted(externalId, externalId, manifestUrl == null ? "null" : "\"" + manifestUrl + "\"");
    }
}
