package io.meshcp.sdk;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.sdk.Viewers.Viewer;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.MediaFixtures;
import io.meshcp.support.StaticServer;
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the player tests share: one application (client-config and telemetry at test intervals, 20 s signaling
 * tokens renewed by 5 s announces, the tracker on a fixed port so that a restart keeps its address), one local CDN with the streams
 * ffmpeg made and the player libraries from npm, and per test a new organisation and new Chromium viewers.
 */
@IntegrationTest
@TestPropertySource(properties = {"meshcp.client-config.telemetry-interval=2s",
        "meshcp.client-config.refresh-interval=5s", "meshcp.signaling.token-ttl=20s",
        // Announces carry the SDK's fresh tokens. A fresh token exists from the minute after the last one was
        // issued, which leaves a socket 20 s to announce it: a refresh (5 s) plus an announce (5 s) fit, as 30 s and
        // 120 s fit in production's 10 minutes.
        "meshcp.signaling.announce-interval=5", "meshcp.signaling.small-swarm-announce-interval=5",
        // Nothing answers there: WebRTC between viewers on this machine needs only host candidates.
        "meshcp.client-config.stun-servers=stun:127.0.0.1:9"})
// Beside the rest of the suite, in the second lane (TestLanes): one class at a time, one test at a time, with their
// own application context and organisations.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
abstract class PlayerTestBase {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Shared by every player test class, as their application is: it names this CDN as the libraries' host. */
    static StaticServer cdn;

    /** A fixed tracker port, so that a restarted tracker comes back at the address players know. */
    @DynamicPropertySource
    static void trackerPort(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            registry.add("meshcp.signaling.port", () -> port);
        }
        // The demo page's player libraries from the test CDN, laid out as jsDelivr's.
        registry.add("meshcp.demo.player-libraries-url", () -> cdn.url("/npm"));
    }

    @LocalServerPort
    int port;

    @Autowired
    Fixtures fixtures;

    JdbcTemplate jdbc = TestDatabase.owner();

    Http http;

    Viewers viewers;

    String[] admin;

    String publishableKey;

    Fixtures.Tenant tenant;

    @BeforeAll
    static synchronized void startCdn() {
        if (cdn == null) {
            cdn = new StaticServer(MediaFixtures.root());
            Runtime.getRuntime().addShutdownHook(new Thread(cdn::close));
        }
    }

    @BeforeEach
    void tenantAndViewers() {
        http = new Http(port);
        tenant = fixtures.tenant();
        admin = bearer(fixtures.secretKey(tenant.id()).key());
        publishableKey = fixtures.publishableKey(tenant.id(), cdn.url("").replaceAll("/$", ""),
                cdn.url("localhost", "").replaceAll("/$", "")).key();
        // Every viewer in the p2p cohort, unless a test says otherwise.
        assertThat(http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", with(admin, "If-Match", "\"v0\"")).status())
                .isEqualTo(200);
        viewers = new Viewers(cdn, "http://localhost:" + port);
    }

    @AfterEach
    void closeViewers() {
        viewers.close();
    }

    /** A stream of the organisation with the fixtures' renditions, its manifest on the CDN; its external id. */
    String stream(String manifest, String kind) {
        return streamAt(cdn.url("/media/" + manifest), kind, admin);
    }

    /** A stream of another organisation. */
    String stream(String manifest, String kind, Fixtures.Tenant owner) {
        return streamAt(cdn.url("/media/" + manifest), kind, bearer(fixtures.secretKey(owner.id()).key()));
    }

    String streamAt(String manifestUrl, String kind) {
        return streamAt(manifestUrl, kind, admin);
    }

    String streamAt(String manifestUrl, String kind, String[] auth) {
        String externalId = "s-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder renditions = new StringBuilder();
        for (MediaFixtures.Rendition rendition : MediaFixtures.RENDITIONS) {
            renditions.append(renditions.isEmpty() ? "" : ",").append("{\"id\": \"").append(rendition.height())
                    .append("p\", \"bitrate\": ").append(rendition.kilobitsPerSecond() * 1000L)
                    .append(", \"resolution\": \"").append(rendition.resolution()).append("\"}");
        }
        Http.Response created = http.post("/api/v1/streams", "{\"externalId\": \"" + externalId
                + "\", \"name\": \"Test " + externalId + "\", \"kind\": \"" + kind + "\", \"renditions\": ["
                + renditions + "], \"manifestUrl\": \"" + manifestUrl + "\"}", auth);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return externalId;
    }

    void streamPolicy(String externalId, String fields) {
        String id = http.get("/api/v1/streams/by-external-id/" + externalId, admin).json().get("id").asString();
        Http.Response saved = http.put("/api/v1/streams/" + id + "/policy", fields, with(admin, "If-Match", "\"v0\""));
        assertThat(saved.status()).as(saved.body()).isEqualTo(200);
    }

    Map<String, Object> options(String player, String manifest, String stream) {
        return options(player, cdn.url("/media/" + manifest), stream, Map.of());
    }

    Map<String, Object> options(String player, String manifestUrl, String stream, Map<String, Object> more) {
        Map<String, Object> options = new HashMap<>(Map.of("player", player, "manifestUrl", manifestUrl,
                "key", publishableKey, "stream", stream, "controlPlane", "http://localhost:" + port));
        options.putAll(more);
        return options;
    }

    JsonNode analytics(String stream, Instant from) {
        return http.get("/api/v1/analytics/summary?streamId=" + stream + "&from=" + from + "&to="
                + Instant.now().plus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES), admin).json()
                .get("total");
    }

    long heartbeats(String session) {
        return jdbc.queryForObject("select count(*) from telemetry_events where session_id = ?", Long.class, session);
    }


    /**
     * A live stream of the organisation: the HLS fixture looped as a live channel on the CDN, with twice the default
     * latency budget, so that the player sits 12 s behind the live edge and peers get the segments more than 6 s
     * ahead of it.
     */
    LiveStream liveStream() {
        String channel = "/live/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        cdn.live(channel, MediaFixtures.root().resolve("hls-ts"));
        String manifestUrl = cdn.url(channel + "master.m3u8");
        String externalId = streamAt(manifestUrl, "LIVE");
        streamPolicy(externalId, "{\"latencyBudgetMs\": 12000}");
        return new LiveStream(manifestUrl, externalId);
    }

    record LiveStream(String manifestUrl, String externalId) {
    }

    long storedCdnBytes(String session) {
        return jdbc.queryForObject("select coalesce(sum(cdn_bytes), 0) from telemetry_events where session_id = ?",
                Long.class, session);
    }


    static long p2pBytesDown(List<Viewer> viewers) {
        return viewers.stream().mapToLong(viewer -> viewer.number("p2pBytesDown")).sum();
    }

}
