package io.meshcp.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.sdk.Viewers.Viewer;
import io.meshcp.support.Fixtures;
import io.meshcp.support.MediaFixtures;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/** The dashboard's pages that play or set up the SDK: the demo page and the integration page's snippet. */
class PlayerPagesTests extends PlayerTestBase {

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

        Viewer firstTab = demoTab(owner, policyViolations);
        Page first = firstTab.page;
        com.microsoft.playwright.Response served = first.navigate(controlPlane + demoLink);
        String policy = served.headerValue("content-security-policy");
        String nonce = policy.replaceFirst("^.*'nonce-([^']+)'.*$", "$1");
        assertThat(policy).as("its own policy, not the dashboard's as well")
                .contains("script-src 'self' 'nonce-" + nonce + "' " + cdn.url("").replaceAll("/$", ""))
                .contains("media-src 'self' blob:").doesNotContain("unsafe-eval");
        // Browsers hide a nonce from the page's DOM; the served page carries it on the import map.
        assertThat(served.text()).contains("<script type=\"importmap\" nonce=\"" + nonce + "\">");
        Set<String> firstSessions = ConcurrentHashMap.newKeySet();
        first.onRequest(request -> {
            if (request.url().contains("/v1/client-config?")) {
                firstSessions.add(request.url().replaceFirst("^.*[?&]session=([^&]+).*$", "$1"));
            }
        });
        // An admin creates a key from the page; it comes back filled in, shown once, and plays.
        first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create a publishable key")).click();
        assertThat(first.locator("#demo-key").inputValue()).startsWith("mesh_pk_");
        // Play with that key goes on with the session the page started: a second one in the same page would share
        // its peer ids (p2p-media-loader keeps one per stream for the page), and the tracker refuses them.
        first.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Play")).click();
        await().atMost(Duration.ofSeconds(30)).until(() -> demoStat(first, "playMs") > 2000);
        firstTab.deliverEvents();
        assertThat(firstSessions).as("playback sessions the first tab asked client-config for").hasSize(1);
        assertThat(first.locator("#stat-cohort").innerText()).isEqualTo("p2p");
        onLowestRendition(first);

        // A second tab remembers the key and plays at once.
        Viewer secondTab = demoTab(owner, policyViolations);
        Page second = secondTab.page;
        second.navigate(controlPlane + demoLink);
        await().atMost(Duration.ofSeconds(30)).until(() -> demoStat(second, "playMs") > 0);
        onLowestRendition(second);
        // Segments go from whichever tab has them to the other: usually the first, which is ahead, to the second, but
        // the second's CDN segments may reach the first's p2p window first.
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> demoStat(first, "p2pBytesDown")
                    + demoStat(second, "p2pBytesDown") > 0);
        }
        catch (ConditionTimeoutException e) {
            throw new AssertionError("no p2p bytes between the tabs; first " + stats(first) + ", second "
                    + stats(second) + "; first's log " + firstTab.log + "; second's log " + secondTab.log, e);
        }
        Page receiver = demoStat(second, "p2pBytesDown") > 0 ? second : first;
        Page sender = receiver == second ? first : second;
        await().atMost(Duration.ofSeconds(5)).until(() -> !receiver.locator("#stat-p2pBytesDown").innerText()
                .equals("0 B") && receiver.locator("#stat-offload").innerText().endsWith("%"));
        assertThat(receiver.locator("#stat-peers").innerText()).isNotEqualTo("0");
        await().atMost(Duration.ofSeconds(5)).until(() -> demoStat(sender, "p2pBytesUp") > 0);
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

    // --- helpers

    /** A tab of the demo page that records what its Content-Security-Policy blocked, and its log. */
    static Viewer demoTab(BrowserContext context, List<String> policyViolations) {
        Page page = context.newPage();
        Viewer tab = new Viewer(context, page);
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                policyViolations.add(message.text());
            }
        });
        page.onPageError(policyViolations::add);
        return tab;
    }

    /**
     * Each rendition is a swarm of its own: two tabs that the bitrate adaptation put on different renditions (one
     * slowed by a busy machine, say) have no peer to find. This test is about the page, not about adaptation.
     */
    static void onLowestRendition(Page tab) {
        tab.evaluate("() => { window.meshcpDemo.player.autoLevelCapping = 0; }");
    }

    /** What a tab's player has done, for a failure message. */
    static String stats(Page page) {
        return String.valueOf(page.evaluate("() => JSON.stringify(window.meshcpDemo?.stats() ?? null)"));
    }

    static long demoStat(Page page, String name) {
        return ((Number) page.evaluate("name => window.meshcpDemo?.stats()[name] ?? 0", name)).longValue();
    }
}
