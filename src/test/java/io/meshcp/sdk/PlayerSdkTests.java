package io.meshcp.sdk;

import static io.meshcp.support.Http.bearer;
import static io.meshcp.support.Http.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.sdk.Viewers.Viewer;
import io.meshcp.signaling.SwarmSizes;
import io.meshcp.signaling.SwarmView;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.MediaFixtures;
import io.meshcp.support.StaticServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The player SDK end to end: Chromium viewers with hls.js or Shaka and p2p-media-loader from npm, streams that
 * ffmpeg made and a local CDN serves, the control plane's client-config, tracker and telemetry.
 */
@IntegrationTest
@TestPropertySource(properties = {"meshcp.client-config.telemetry-interval=2s",
        "meshcp.client-config.refresh-interval=5s", "meshcp.signaling.token-ttl=20s",
        // Nothing answers there: WebRTC between viewers on this machine needs only host candidates.
        "meshcp.client-config.stun-servers=stun:127.0.0.1:9"})
class PlayerSdkTests {

    static final JsonMapper JSON = JsonMapper.builder().build();

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

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationContext context;

    @Autowired
    SwarmSizes swarmSizes;

    Http http;

    Viewers viewers;

    String[] admin;

    String publishableKey;

    Fixtures.Tenant tenant;

    @BeforeAll
    static void startCdn() {
        cdn = new StaticServer(MediaFixtures.root());
    }

    @AfterAll
    static void stopCdn() {
        cdn.close();
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

    @Test
    void threeStaggeredViewersTakeAThirdOfTheirBytesFromEachOtherAndAnalyticsAgreeWithTheirCounters() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Instant from = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        long servedBefore = cdn.bytesServed("/media/hls-ts/");
        List<Viewer> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Viewer viewer = viewers.hlsJs();
            viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));
            three.add(viewer);
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 3000);
        }

        await().atMost(Duration.ofSeconds(90)).until(() -> offload(three) >= 0.3);
        // Heartbeats name the swarm each viewer's rendition is shared in, by the info hash the tracker knows it by.
        UUID id = UUID.fromString(http.get("/api/v1/streams/by-external-id/" + stream, admin).json().get("id").asString());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, String> named = new HashMap<>();
            jdbc.query("select info_hash, rendition from stream_swarm_renditions where stream_id = ?",
                    row -> { named.put(row.getString(1), row.getString(2)); }, id);
            List<String> swarms = swarmSizes.swarms(tenant.id(), id).stream().map(SwarmView::infoHash).toList();
            // A viewer that switched renditions may still be in the swarm of the one it left.
            assertThat(swarms).containsAnyElementsOf(named.keySet());
            assertThat(named.values()).allMatch(rendition -> rendition.equals("180p") || rendition.equals("360p"));
        });
        List<Map<String, Object>> finals = three.stream().map(Viewer::destroy).toList();

        long cdnBytes = sum(finals, "cdnBytes");
        long p2pBytes = sum(finals, "p2pBytesDown");
        assertThat(p2pBytes / (double) (p2pBytes + cdnBytes)).isGreaterThanOrEqualTo(0.3);
        // A peer's upload counts what it sent; a receiver drops what arrives after it gave up on a segment.
        assertThat(sum(finals, "p2pBytesUp")).as("what viewers sent, against what others received")
                .isBetween(p2pBytes, p2pBytes + p2pBytes / 10);
        // The SDK counts the CDN bytes the page read. The CDN also sent the playlists and, for loads the loader
        // aborted when a peer had the segment, bytes already in flight that the page never read: up to 5-6 %
        // of it in runs here. So the SDK never claims more than the CDN sent, and at least 90 % of it.
        long served = cdn.bytesServed("/media/hls-ts/") - servedBefore;
        assertThat(cdnBytes).isBetween(served * 9 / 10, served);
        JsonNode total = await().atMost(Duration.ofSeconds(10)).until(() -> analytics(stream, from),
                summary -> summary.get("cdnBytes").asLong() == cdnBytes);
        assertThat((double) total.get("cdnBytes").asLong()).isCloseTo(cdnBytes, within(0.01 * cdnBytes));
        assertThat((double) total.get("p2pBytesDown").asLong()).isCloseTo(p2pBytes, within(0.01 * p2pBytes));
        three.forEach(Viewer::assertNoPageErrors);
    }

    @Test
    void aHoldoutViewerPlaysWithoutPeersAndStillReports() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        streamPolicy(stream, "{\"holdoutPercent\": 100}");
        Viewer viewer = viewers.hlsJs();
        String session = viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));

        await().atMost(Duration.ofSeconds(30)).until(() -> heartbeats(session) >= 2);
        Map<String, Object> stats = viewer.stats();
        assertThat(stats).containsEntry("cohort", "holdout").containsEntry("p2pEnabled", false)
                .containsEntry("p2pBytesDown", 0).containsEntry("p2pBytesUp", 0);
        assertThat(viewer.reasons()).contains("HOLDOUT_COHORT");
        assertThat(viewer.trackerSockets()).as("a holdout player never talks to the tracker").isEmpty();
        assertThat(jdbc.queryForList("select distinct cohort from telemetry_events where session_id = ?",
                String.class, session)).containsExactly("holdout");
        assertThat(jdbc.queryForObject("select sum(p2p_bytes_down + p2p_bytes_up) from telemetry_events "
                + "where session_id = ?", Long.class, session)).isZero();
        assertThat(jdbc.queryForObject("select sum(cdn_bytes) from telemetry_events where session_id = ?",
                Long.class, session)).isPositive();
        viewer.assertNoPageErrors();
    }

    @Test
    void aViewerWhoClosesTheTabReportsTheBytesItGotSinceItsLastHeartbeat() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Viewer viewer = viewers.hlsJs();
        String session = viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));
        long[] unreported = new long[1];
        // A moment when the player holds bytes that no heartbeat has carried yet.
        viewer.waitUntil("holding unreported bytes", Duration.ofSeconds(30), () -> {
            long reported = storedCdnBytes(session);
            unreported[0] = viewer.number("cdnBytes");
            return reported > 0 && unreported[0] > reported;
        });

        viewer.page.close(new Page.CloseOptions().setRunBeforeUnload(true));

        await().atMost(Duration.ofSeconds(20)).until(() -> storedCdnBytes(session) >= unreported[0]);
    }

    long storedCdnBytes(String session) {
        return jdbc.queryForObject("select coalesce(sum(cdn_bytes), 0) from telemetry_events where session_id = ?",
                Long.class, session);
    }

    @Test
    void aPhoneOnCellularWithALowBatteryTakesFromPeersButNeverUploads() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Viewer first = viewers.hlsJs();
        first.start(options("hls.js", MediaFixtures.HLS_TS, stream));
        first.waitUntil("playing", Duration.ofSeconds(30), () -> first.number("playMs") > 2000);
        // What Chromium on a phone tells the page: a discharging battery at 10 % and a cellular network.
        Viewer phone = viewers.open("127.0.0.1", "/hls.html", context -> context.addInitScript("""
                (() => {
                  const battery = Object.assign(new EventTarget(), { level: 0.1, charging: false,
                    chargingTime: Infinity, dischargingTime: 3600 });
                  Object.defineProperty(navigator, 'getBattery', { value: () => Promise.resolve(battery) });
                  const connection = Object.assign(new EventTarget(), { type: 'cellular', effectiveType: '4g' });
                  Object.defineProperty(navigator, 'connection', { value: connection });
                })();
                """));
        String session = phone.start(options("hls.js", MediaFixtures.HLS_TS, stream));
        phone.waitUntil("receiving from the first viewer", Duration.ofSeconds(60),
                () -> phone.number("p2pBytesDown") > 0);
        assertThat(phone.reasons()).contains("BATTERY_LOW", "CELLULAR_UPLOAD_OFF");
        // A third viewer behind the phone could take segments from either; it gets none from the phone.
        Viewer third = viewers.hlsJs();
        third.start(options("hls.js", MediaFixtures.HLS_TS, stream));
        third.waitUntil("receiving from a peer", Duration.ofSeconds(60), () -> third.number("p2pBytesDown") > 0);

        assertThat(phone.number("p2pBytesUp")).as("the phone never uploads").isZero();
        assertThat(third.number("p2pBytesDown")).isLessThanOrEqualTo(first.number("p2pBytesUp"));
        await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats(session) > 0);
        assertThat(jdbc.queryForMap("select min(battery) as battery, max(network) as network, bool_or(charging) as "
                + "charging from telemetry_events where session_id = ?", session))
                .containsEntry("network", "cellular").containsEntry("charging", false)
                .hasEntrySatisfying("battery", battery -> assertThat(((Number) battery).doubleValue()).isEqualTo(0.1,
                        within(0.001)));
    }

    @Test
    void theKillSwitchTurnsP2pOffWithinTwoSecondsWithoutStallingAndItsReleaseBringsP2pBack() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        List<Viewer> two = List.of(viewers.hlsJs(), viewers.hlsJs());
        for (Viewer viewer : two) {
            viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
        }
        for (Viewer viewer : two) {
            viewer.waitUntil("with a peer", Duration.ofSeconds(60), () -> viewer.number("peers") > 0);
        }
        String id = http.get("/api/v1/streams/by-external-id/" + stream, admin).json().get("id").asString();
        Map<Viewer, Long> rebufferBefore = new HashMap<>();
        two.forEach(viewer -> rebufferBefore.put(viewer, viewer.number("rebufferMs")));

        assertThat(http.put("/api/v1/streams/" + id + "/kill-switch", "", admin).status()).isEqualTo(204);
        Instant engaged = Instant.now();
        for (Viewer viewer : two) {
            viewer.waitUntil("told to stop p2p", Duration.ofSeconds(5),
                    () -> !viewer.p2pEnabled() && viewer.reasons().contains("KILL_SWITCH"));
        }
        assertThat(Duration.between(engaged, Instant.now())).as("every viewer's p2p off").isLessThan(Duration.ofSeconds(2));
        long playing = two.getFirst().number("playMs");
        two.getFirst().waitUntil("playing on", Duration.ofSeconds(20), () -> two.getFirst().number("playMs") > playing + 3000);
        for (Viewer viewer : two) {
            assertThat(viewer.number("peers")).isZero();
            assertThat(viewer.number("rebufferMs")).as("no stall from turning p2p off").isEqualTo(rebufferBefore.get(viewer));
        }

        assertThat(http.delete("/api/v1/streams/" + id + "/kill-switch", admin).status()).isEqualTo(204);
        for (Viewer viewer : two) {
            viewer.waitUntil("back on p2p", Duration.ofSeconds(60),
                    () -> viewer.p2pEnabled() && !viewer.reasons().contains("KILL_SWITCH") && viewer.number("peers") > 0);
        }
        two.forEach(Viewer::assertNoPageErrors);
    }

    @Test
    void aForgedTokenLeavesTheViewerOnTheCdnAndItsTelemetrySaysWhy() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Viewer viewer = viewers.hlsJs();
        // What a page that tampered with the token, or a proxy that mangled it, would hand the tracker.
        viewer.context.route("**/v1/client-config**", route -> {
            APIResponse response;
            try {
                response = route.fetch();
            }
            catch (PlaywrightException e) {
                // The page closed while the SDK was refreshing; there is nobody left to answer.
                return;
            }
            String forged = response.text().replaceAll("(\"token\"\\s*:\\s*\"[^\"]*?)[A-Za-z0-9_-]{4}\"", "$1AAAA\"");
            route.fulfill(new Route.FulfillOptions().setResponse(response).setBody(forged));
        });
        String session = viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));

        viewer.waitUntil("reporting the refused token", Duration.ofSeconds(30),
                () -> viewer.reasons().contains("TOKEN_INVALID") && viewer.number("playMs") > 3000);
        assertThat(viewer.number("p2pBytesDown")).isZero();
        assertThat(viewer.number("cdnBytes")).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select count(*) from telemetry_events "
                + "where session_id = ? and 'TOKEN_INVALID' = any(p2p_reasons)", Long.class, session) > 0);
        viewer.assertNoPageErrors();
    }

    @Test
    void heartbeatsRefusedWith503AreResentWithTheirEventIdsAfterRetryAfterAndStoredOnce() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Viewer viewer = viewers.hlsJs();
        try (BusyIngest ingest = new BusyIngest(URI.create("http://localhost:" + port + "/v1/telemetry"), 2)) {
            // client-config sends this viewer's heartbeats through the busy load balancer.
            viewer.context.route("**/v1/client-config**", route -> {
                APIResponse response;
                try {
                    response = route.fetch();
                }
                catch (PlaywrightException e) {
                    return; // the page closed while the SDK was refreshing
                }
                String rerouted = response.text().replaceAll("\"url\"\\s*:\\s*\"[^\"]*/v1/telemetry\"",
                        "\"url\": \"" + ingest.url() + "\"");
                route.fulfill(new Route.FulfillOptions().setResponse(response).setBody(rerouted));
            });
            String session = viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));

            viewer.waitUntil("resending what was refused", Duration.ofSeconds(30), () -> {
                List<String> refused = eventIds(ingest.refusedBodies);
                return refused.size() > 0 && ingest.refusedBodies.size() == 2
                        && eventIds(ingest.forwardedBodies).containsAll(refused);
            });
            List<String> refused = eventIds(ingest.refusedBodies);
            await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject("select count(*) from "
                    + "telemetry_events where session_id = ? and event_id = any(?::uuid[])", Long.class, session,
                    refused.toArray(String[]::new)) == refused.stream().distinct().count());
            assertThat(jdbc.queryForObject("select count(*) - count(distinct event_id) from telemetry_events "
                    + "where session_id = ?", Long.class, session)).as("nothing stored twice").isZero();
            viewer.assertNoPageErrors();
        }
    }

    @Test
    void twoViewersOnTwoCdnHostNamesOfOneStreamExchangeSegments() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        Viewer first = viewers.hlsJs();
        first.start(options("hls.js", MediaFixtures.HLS_TS, stream));
        first.waitUntil("playing", Duration.ofSeconds(30), () -> first.number("playMs") > 2000);
        Viewer second = viewers.open("localhost", "/hls.html");
        second.start(options("hls.js", cdn.url("localhost", "/media/" + MediaFixtures.HLS_TS) + "?sig=viewer2",
                stream, Map.of()));

        second.waitUntil("receiving from the other host name's viewer", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") > 0);
        assertThat(first.number("p2pBytesUp")).isPositive();
    }

    @Test
    void twoViewersOfAnHlsStreamOfFragmentedMp4ExchangeSegments() {
        String stream = stream(MediaFixtures.HLS_FMP4, "VOD");
        Viewer first = viewers.hlsJs();
        first.start(options("hls.js", MediaFixtures.HLS_FMP4, stream));
        first.waitUntil("playing", Duration.ofSeconds(30), () -> first.number("playMs") > 2000);
        Viewer second = viewers.hlsJs();
        second.start(options("hls.js", MediaFixtures.HLS_FMP4, stream));

        second.waitUntil("receiving from the first viewer", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") > 0);
        assertThat(first.number("p2pBytesUp")).isPositive();
        first.assertNoPageErrors();
        second.assertNoPageErrors();
    }

    @Test
    void twoShakaViewersOfADashStreamExchangeSegmentsAndReportThem() {
        String stream = stream(MediaFixtures.DASH, "VOD");
        Viewer first = viewers.shaka();
        first.start(options("shaka", MediaFixtures.DASH, stream));
        first.waitUntil("playing", Duration.ofSeconds(30), () -> first.number("playMs") > 2000);
        Viewer second = viewers.shaka();
        String session = second.start(options("shaka", MediaFixtures.DASH, stream));

        second.waitUntil("receiving from the first viewer", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") > 0);
        assertThat(first.number("p2pBytesUp")).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select coalesce(sum(p2p_bytes_down), 0) "
                + "from telemetry_events where session_id = ?", Long.class, session) > 0);
        first.assertNoPageErrors();
        second.assertNoPageErrors();
    }

    @Test
    void withMaxPeersTwoNoneOfFiveViewersHoldsMoreThanTwoPeerConnections() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        streamPolicy(stream, "{\"maxPeers\": {\"desktop\": 2}}");
        List<Viewer> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Viewer viewer = viewers.hlsJs();
            viewer.start(options("hls.js", MediaFixtures.HLS_TS, stream));
            five.add(viewer);
        }
        // Every viewer wants all four others; the tracker pairs each with two at most.
        five.getLast().waitUntil("with peers", Duration.ofSeconds(60), () -> five.stream()
                .filter(viewer -> viewer.peerConnectionsNow() == 2).count() >= 2);
        for (Viewer viewer : five) {
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 3000);
            assertThat(viewer.maxPeerConnections()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void liveViewersKeepP2pAcrossATrackerRestartAfterTheirTokensExpired() {
        String channel = "/live/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        cdn.live(channel, MediaFixtures.root().resolve("hls-ts"));
        String stream = streamAt(cdn.url(channel + "master.m3u8"), "LIVE");
        // Twice the default budget: the player sits 12 s behind the live edge and peers get the segments
        // more than 6 s ahead of it.
        streamPolicy(stream, "{\"latencyBudgetMs\": 12000}");
        List<Viewer> two = List.of(viewers.hlsJs(), viewers.hlsJs());
        for (Viewer viewer : two) {
            viewer.start(options("hls.js", cdn.url(channel + "master.m3u8"), stream, Map.of()));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> p2pBytesDown(two) > 0);
        for (Viewer viewer : two) {
            assertThat(((Number) viewer.page.evaluate("() => window.session.player.config.liveSyncDuration"))
                    .doubleValue()).as("the latency budget is the player's target latency").isEqualTo(12.0);
        }
        Instant expired = two.stream().map(viewer -> tokenExpiry(viewer.trackerSockets().getLast()))
                .max(Instant::compareTo).orElseThrow();
        // Tokens live 20 s past the minute they were issued in; the sockets outlive them, as a 4-hour event's do.
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Instant.now().isAfter(expired.plusSeconds(1)));
        Map<Viewer, Integer> socketsBefore = new HashMap<>();
        two.forEach(viewer -> socketsBefore.put(viewer, viewer.trackerSockets().size()));
        long p2pBefore = p2pBytesDown(two);

        // Stopped and started on the same port, as a rolling restart of a node behind its address.
        SmartLifecycle tracker = context.getBean("signalingServer", SmartLifecycle.class);
        tracker.stop();
        tracker.start();

        Instant restarted = Instant.now();
        for (Viewer viewer : two) {
            viewer.waitUntil("on a new tracker socket", Duration.ofSeconds(30),
                    () -> viewer.trackerSockets().size() > socketsBefore.get(viewer));
            viewer.waitUntil("with a token valid after the restart (expired " + expired + ", restarted " + restarted
                    + ")", Duration.ofSeconds(30), () -> tokenExpiry(viewer.trackerSockets().getLast()).isAfter(restarted));
            viewer.waitUntil("with a peer again", Duration.ofSeconds(30), () -> viewer.number("peers") > 0);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> p2pBytesDown(two) > p2pBefore);
        two.forEach(Viewer::assertNoPageErrors);
    }

    @Test
    void theDemoPageInTwoTabsShowsTheirBytesFromEachOther() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        String id = http.get("/api/v1/streams/by-external-id/" + stream, admin).json().get("id").asString();
        String controlPlane = "http://localhost:" + port;
        BrowserContext owner = viewers.signedIn(controlPlane, tenant.ownerEmail(), Fixtures.PASSWORD);
        List<String> policyViolations = new CopyOnWriteArrayList<>();

        Page streamPage = owner.newPage();
        streamPage.navigate(controlPlane + "/streams/" + id);
        String demoLink = streamPage.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Watch with p2p"))
                .getAttribute("href");
        assertThat(demoLink).isEqualTo("/demo?stream=" + stream);

        Page first = demoTab(owner, policyViolations);
        com.microsoft.playwright.Response served = first.navigate(controlPlane + demoLink);
        String policy = served.headerValue("content-security-policy");
        String nonce = policy.replaceFirst("^.*'nonce-([^']+)'.*$", "$1");
        assertThat(policy).as("its own policy, not the dashboard's as well")
                .contains("script-src 'self' 'nonce-" + nonce + "' " + cdn.url("").replaceAll("/$", ""))
                .contains("media-src 'self' blob:").doesNotContain("unsafe-eval");
        // Browsers hide a nonce from the page's DOM; the served page carries it on the import map.
        assertThat(served.text()).contains("<script type=\"importmap\" nonce=\"" + nonce + "\">");
        // An admin creates a key from the page; it comes back filled in, shown once.
        first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a publishable key")).click();
        assertThat(first.locator("#demo-key").inputValue()).startsWith("mesh_pk_");
        first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> demoStat(first, "playMs") > 2000);
        assertThat(first.locator("#stat-cohort").innerText()).isEqualTo("p2p");

        // A second tab remembers the key and plays at once.
        Page second = demoTab(owner, policyViolations);
        second.navigate(controlPlane + demoLink);
        await().atMost(Duration.ofSeconds(60)).until(() -> demoStat(second, "p2pBytesDown") > 0);
        await().atMost(Duration.ofSeconds(5)).until(() -> !second.locator("#stat-p2pBytesDown").innerText().equals("0 B")
                && second.locator("#stat-offload").innerText().endsWith("%"));
        assertThat(second.locator("#stat-peers").innerText()).isNotEqualTo("0");
        assertThat(demoStat(first, "p2pBytesUp")).isPositive();
        assertThat(policyViolations).as("nothing the page needs is blocked by its Content-Security-Policy").isEmpty();

        Page other = owner.newPage();
        assertThat(other.navigate(controlPlane + "/demo?stream=no-such-stream").status()).isEqualTo(404);
        String othersStream = stream(MediaFixtures.HLS_TS, "VOD", fixtures.tenant());
        assertThat(other.navigate(controlPlane + "/demo?stream=" + othersStream).status())
                .as("another organisation's stream").isEqualTo(404);
    }

    @Test
    void theIntegrationPagesSnippetPlaysAsCopiedAndThePageSeesTheStreamsFirstHeartbeat() {
        String stream = stream(MediaFixtures.HLS_TS, "VOD");
        String controlPlane = "http://localhost:" + port;
        BrowserContext owner = viewers.signedIn(controlPlane, tenant.ownerEmail(), Fixtures.PASSWORD);
        Page page = owner.newPage();
        // The broadcaster's site is the origin that new publishable keys allow.
        page.navigate(controlPlane + "/settings");
        page.getByLabel("Default allowed origins").fill(cdn.url("").replaceAll("/$", ""));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();

        page.navigate(controlPlane + "/integration");
        page.getByLabel("Stream").selectOption(stream);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Fill in")).click();
        assertThat(page.locator("#first-heartbeat").innerText()).contains("No heartbeat of " + stream + " yet");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a publishable key")).click();
        String snippet = page.locator("#snippet-sdk").innerText();
        assertThat(snippet).contains("stream: \"" + stream + "\"")
                .contains("manifestUrl: \"" + cdn.url("/media/" + MediaFixtures.HLS_TS) + "\"")
                .containsPattern("key: \"mesh_pk_[A-Za-z0-9]{32,}\"");

        // The broadcaster's page: their own import map and video element, and the snippet exactly as copied.
        String path = "/broadcaster-" + stream + ".html";
        cdn.page(path, Viewers.pageWith(snippet + "\nwindow.session = session;\nwindow.viewerReady = true;"));
        Viewer viewer = viewers.open("127.0.0.1", path);
        viewer.waitUntil("playing and reporting", Duration.ofSeconds(30),
                () -> viewer.number("playMs") > 1000 && viewer.number("heartbeatsSent") > 0);

        page.locator("#first-heartbeat").getByText("arrived at").waitFor();
        assertThat(page.locator("#first-heartbeat").innerText()).contains("The first heartbeat of " + stream);
        viewer.assertNoPageErrors();

        String othersStream = stream(MediaFixtures.HLS_TS, "VOD", fixtures.tenant());
        assertThat(page.navigate(controlPlane + "/integration?stream=" + othersStream).status())
                .as("another organisation's stream").isEqualTo(404);
        assertThat(page.navigate(controlPlane + "/integration/first-heartbeat?stream=" + othersStream).status())
                .isEqualTo(404);
    }

    @Test
    void aViewerWhoseTrackerSocketIsClosedWithoutANoticeReconnectsWithinARefresh() {
        String channel = "/live/" + UUID.randomUUID().toString().substring(0, 8) + "/";
        cdn.live(channel, MediaFixtures.root().resolve("hls-ts"));
        String stream = streamAt(cdn.url(channel + "master.m3u8"), "LIVE");
        streamPolicy(stream, "{\"latencyBudgetMs\": 12000}");
        Viewer first = viewers.hlsJs();
        // The second viewer reaches the tracker through a proxy that can drop its socket cleanly, as an idle
        // timeout or a proxy's restart does: a close frame and nothing else, no notice from the tracker.
        List<WebSocketRoute> proxied = new CopyOnWriteArrayList<>();
        Viewer second = viewers.open("127.0.0.1", "/hls.html", context -> context.routeWebSocket(
                Pattern.compile(".*/v1/signal.*"), socket -> {
                    socket.connectToServer();
                    proxied.add(socket);
                }));
        for (Viewer viewer : List.of(first, second)) {
            viewer.start(options("hls.js", cdn.url(channel + "master.m3u8"), stream, Map.of()));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
        }
        second.waitUntil("with a peer", Duration.ofSeconds(60), () -> second.number("peers") > 0);
        int sockets = second.trackerSockets().size();

        proxied.getLast().close(new WebSocketRoute.CloseOptions().setCode(1000).setReason("idle"));

        // The npm client alone would try again after 10 s plus up to five random minutes; the SDK, at its next
        // refresh (every 5 s here).
        second.waitUntil("on a new tracker socket", Duration.ofSeconds(20),
                () -> second.trackerSockets().size() > sockets);
        second.waitUntil("with a peer again", Duration.ofSeconds(30), () -> second.number("peers") > 0);
        long received = second.number("p2pBytesDown");
        second.waitUntil("receiving from peers again", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") > received);
        second.assertNoPageErrors();
    }

    // --- helpers

    /** A tab of the demo page that records what its Content-Security-Policy blocked. */
    static Page demoTab(BrowserContext context, List<String> policyViolations) {
        Page page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                policyViolations.add(message.text());
            }
        });
        page.onPageError(policyViolations::add);
        return page;
    }

    static long demoStat(Page page, String name) {
        return ((Number) page.evaluate("name => window.meshcpDemo?.stats()[name] ?? 0", name)).longValue();
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

    static double offload(List<Viewer> viewers) {
        long cdn = 0;
        long p2p = 0;
        for (Viewer viewer : viewers) {
            Map<String, Object> stats = viewer.stats();
            cdn += ((Number) stats.get("cdnBytes")).longValue();
            p2p += ((Number) stats.get("p2pBytesDown")).longValue();
        }
        return cdn + p2p == 0 ? 0 : p2p / (double) (cdn + p2p);
    }

    /** The event ids in telemetry request bodies: each one heartbeat, or a batch of them under "events". */
    static List<String> eventIds(List<String> bodies) {
        List<String> ids = new ArrayList<>();
        for (String body : bodies) {
            JsonNode json = JSON.readTree(body);
            JsonNode events = json.has("events") ? json.get("events") : JSON.createArrayNode().add(json);
            events.forEach(event -> ids.add(event.get("eventId").asString()));
        }
        return ids;
    }

    static long p2pBytesDown(List<Viewer> viewers) {
        return viewers.stream().mapToLong(viewer -> viewer.number("p2pBytesDown")).sum();
    }

    /** When the signaling token in a tracker socket's URL expires: its claims are {@code v1.<kid>.<claims>.<mac>}. */
    static Instant tokenExpiry(String socketUrl) {
        String token = URI.create(socketUrl).getQuery().replaceFirst("^.*?token=([^&]+).*$", "$1");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[2]));
        return Instant.ofEpochSecond(Long.parseLong(claims.get("e").asString()));
    }

    static long sum(List<Map<String, Object>> stats, String name) {
        return stats.stream().mapToLong(one -> ((Number) one.get(name)).longValue()).sum();
    }
}
