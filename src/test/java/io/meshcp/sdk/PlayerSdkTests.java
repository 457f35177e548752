package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import io.meshcp.sdk.Viewers.Viewer;
import io.meshcp.signaling.SwarmSizes;
import io.meshcp.signaling.SwarmView;
import io.meshcp.support.MediaFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The player SDK end to end: Chromium viewers with hls.js or Shaka and p2p-media-loader from npm, streams that
 * ffmpeg made and a local CDN serves, the control plane's client-config, tracker and telemetry.
 */
class PlayerSdkTests extends PlayerTestBase {

    @Autowired
    SwarmSizes swarmSizes;

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
        secondReceivesFromFirst(viewers.hlsJs(), options("hls.js", MediaFixtures.HLS_TS, stream),
                viewers.open("localhost", "/hls.html"), options("hls.js",
                        cdn.url("localhost", "/media/" + MediaFixtures.HLS_TS) + "?sig=viewer2", stream, Map.of()));
    }

    @Test
    void twoViewersOfAnHlsStreamOfFragmentedMp4ExchangeSegments() {
        String stream = stream(MediaFixtures.HLS_FMP4, "VOD");
        secondReceivesFromFirst(viewers.hlsJs(), options("hls.js", MediaFixtures.HLS_FMP4, stream), viewers.hlsJs(),
                options("hls.js", MediaFixtures.HLS_FMP4, stream));
    }

    @Test
    void twoShakaViewersOfADashStreamExchangeSegmentsAndReportThem() {
        String stream = stream(MediaFixtures.DASH, "VOD");
        String session = secondReceivesFromFirst(viewers.shaka(), options("shaka", MediaFixtures.DASH, stream),
                viewers.shaka(), options("shaka", MediaFixtures.DASH, stream));

        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForObject("select coalesce(sum(p2p_bytes_down), 0) "
                + "from telemetry_events where session_id = ?", Long.class, session) > 0);
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

    // --- helpers

    /**
     * The first viewer plays, then the second joins and receives segments from it, which it uploaded; neither page
     * throws. The second viewer's session id.
     */
    static String secondReceivesFromFirst(Viewer first, Map<String, Object> firstOptions, Viewer second,
            Map<String, Object> secondOptions) {
        first.start(firstOptions);
        first.waitUntil("playing", Duration.ofSeconds(30), () -> first.number("playMs") > 2000);
        String session = second.start(secondOptions);
        second.waitUntil("receiving from the first viewer", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") > 0);
        assertThat(first.number("p2pBytesUp")).isPositive();
        first.assertNoPageErrors();
        second.assertNoPageErrors();
        return session;
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


    static long sum(List<Map<String, Object>> stats, String name) {
        return stats.stream().mapToLong(one -> ((Number) one.get(name)).longValue()).sum();
    }
}
