package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import io.meshcp.sdk.Viewers.Viewer;
import io.meshcp.support.MediaFixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * Viewers and the tracker over a session: kill switches that reach them, refused tokens, a tracker restart after
 * their tokens expired, a socket dropped without a word.
 */
class PlayerSignalingTests extends PlayerTestBase {

    /**
     * hls.js starting on the lowest rendition; {@link #onOneRendition} keeps it there. Each rendition is a swarm of
     * its own, so two viewers that the bitrate adaptation put on different renditions (after a stall, say) would
     * have no peer to find, and these tests are about the tracker, not about adaptation.
     */
    static final Map<String, Object> ONE_RENDITION = Map.of("playerConfig", Map.of("startLevel", 0));

    /** Caps the viewer's hls.js at its lowest rendition. */
    static void onOneRendition(Viewer viewer) {
        viewer.page.evaluate("() => { window.session.player.autoLevelCapping = 0; }");
    }


    @Autowired
    ApplicationContext context;

    @Test
    void theKillSwitchTurnsP2pOffWithinTwoSecondsWithoutStallingAndItsReleaseBringsP2pBack() {
        // Live, so that both viewers keep loading segments (and so keep asking the tracker) after the release: a
        // viewer that has buffered a short VOD to its end never announces again.
        LiveStream live = liveStream();
        List<Viewer> two = List.of(viewers.hlsJs(), viewers.hlsJs());
        for (Viewer viewer : two) {
            viewer.start(options("hls.js", live.manifestUrl(), live.externalId(), ONE_RENDITION));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
            onOneRendition(viewer);
        }
        for (Viewer viewer : two) {
            viewer.waitUntil("with a peer", Duration.ofSeconds(60), () -> viewer.number("peers") > 0);
        }
        String id = http.get("/api/v1/streams/by-external-id/" + live.externalId(), admin).json().get("id").asString();
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
    void liveViewersKeepP2pAcrossATrackerRestartAfterTheirTokensExpired() {
        LiveStream live = liveStream();
        List<Viewer> two = List.of(viewers.hlsJs(), viewers.hlsJs());
        for (Viewer viewer : two) {
            viewer.start(options("hls.js", live.manifestUrl(), live.externalId(), ONE_RENDITION));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
            onOneRendition(viewer);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> p2pBytesDown(two) > 0);
        for (Viewer viewer : two) {
            assertThat(((Number) viewer.page.evaluate("() => window.session.player.config.liveSyncDuration"))
                    .doubleValue()).as("the latency budget is the player's target latency").isEqualTo(12.0);
        }
        Map<Viewer, Integer> socketsBefore = new HashMap<>();
        two.forEach(viewer -> socketsBefore.put(viewer, viewer.trackerSockets().size()));
        Instant expired = two.stream().map(viewer -> tokenExpiry(viewer.trackerSockets().getLast()))
                .max(Instant::compareTo).orElseThrow();
        // Tokens live 20 s past the 5 s step (a quarter of their lifetime) they were issued in; the tracker ends a socket whose token expires, unless
        // its announces brought a fresh one, as the SDK's do: the sockets outlive their first tokens, as a 4-hour
        // event's do. (The tracker checks expiry at the moment, or a second after if its clock lags.)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> Instant.now().isAfter(expired.plusSeconds(3)));
        for (Viewer viewer : two) {
            assertThat(viewer.trackerSockets()).as("the first socket is still the one in use")
                    .hasSize(socketsBefore.get(viewer));
        }
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
    void aViewerWhoseTrackerSocketIsClosedWithoutANoticeReconnectsWithinARefresh() {
        LiveStream live = liveStream();
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
            viewer.start(options("hls.js", live.manifestUrl(), live.externalId(), ONE_RENDITION));
            viewer.waitUntil("playing", Duration.ofSeconds(30), () -> viewer.number("playMs") > 2000);
            onOneRendition(viewer);
        }
        second.waitUntil("with a peer", Duration.ofSeconds(60), () -> second.number("peers") > 0);
        int sockets = second.trackerSockets().size();

        proxied.getLast().close(new WebSocketRoute.CloseOptions().setCode(1000).setReason("idle"));

        // The npm client alone would try again after 10 s plus up to five random minutes; the SDK, at its next
        // refresh (every 5 s here).
        second.waitUntil("on a new tracker socket", Duration.ofSeconds(20),
                () -> second.trackerSockets().size() > sockets);
        second.waitUntil("with a peer again", Duration.ofSeconds(30), () -> second.number("peers") > 0);
        // Segments go from whichever viewer has them first to the other, so either direction counts: with two
        // viewers, any p2p byte crosses the second viewer's new connection.
        long exchanged = second.number("p2pBytesDown") + second.number("p2pBytesUp");
        second.waitUntil("exchanging segments with its peer again", Duration.ofSeconds(60),
                () -> second.number("p2pBytesDown") + second.number("p2pBytesUp") > exchanged);
        second.assertNoPageErrors();
    }

    // --- helpers

    /** When the signaling token in a tracker socket's URL expires: a compact JWS, its claims in the middle. */
    static Instant tokenExpiry(String socketUrl) {
        String token = URI.create(socketUrl).getQuery().replaceFirst("^.*?token=([^&]+).*$", "$1");
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return Instant.ofEpochSecond(claims.get("exp").asLong());
    }
}
