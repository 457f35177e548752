package io.meshcp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.LoadState;
import io.meshcp.accounts.Accounts;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Chromium;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Telemetry sent like a player sends it shows up on the overview and the analytics page, in Chromium. */
@IntegrationTest
// In the second lane (TestLanes), beside the rest of the suite.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
class AnalyticsBrowserTests extends BrowserTestBase {

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    Streams streams;

    @Test
    void aNewOrganisationSeesEmptyStatesThenItsTelemetryChartedInItsTimeZone() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = "analyst-" + id + "@example.com";
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setTimezoneId("Europe/Paris"))) {
            Page page = context.newPage();
            signUp(page, "Analyst " + id, email);
            page.navigate(url("/"));
            assertThat(page.getByText("No telemetry yet.")).isVisible();
            page.navigate(url("/analytics"));
            assertThat(page.locator("#no-data")).isVisible();

            UUID tenantId = accounts.findTenantByName("Analyst " + id).orElseThrow().id();
            streams.create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(), null, false),
                    Actor.SYSTEM);
            String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "player", List.of(), null),
                    Actor.SYSTEM).key();
            Instant now = Instant.now().minusSeconds(90);
            String body = "{\"events\": [" + event(now, "p2p", 1_000_000_000L, 3_000_000_000L, "CELLULAR_UPLOAD_OFF")
                    + "," + event(now.plusSeconds(10), "p2p", 2_000_000_000L, 2_000_000_000L, null) + ","
                    + event(now.plusSeconds(20), "holdout", 1_000_000_000L, 0, "HOLDOUT_COHORT") + "]}";
            assertThat(new Http(port).post("/v1/telemetry?key=" + key, body).json().get("accepted").asInt())
                    .isEqualTo(3);

            page.navigate(url("/"));
            assertThat(page.locator("[data-metric=offload]")).hasText("55.6 %");
            assertThat(page.locator("[data-metric=bytesSaved]")).hasText("5 GB");
            assertThat(page.locator("[data-metric=moneySaved]")).hasText("$0.10");
            // Beside the day before, which had nothing.
            assertThat(page.locator("[data-previous=bytesSaved]")).hasText("previous 24 hours: 0 B new");
            assertThat(page.locator("table[data-top=savings] tbody tr")).hasCount(1);
            assertThat(page.locator("table[data-top=savings] tbody tr td").first()).hasText("Final");

            // Money is in the organisation's currency, set beside the CDN price.
            page.navigate(url("/settings"));
            String price = page.getByLabel("CDN price per GB").inputValue();
            // Every bad field is named at once, and what was typed stays.
            page.getByLabel("CDN price per GB").fill("-1");
            page.getByLabel("Currency").fill("XYZ");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("cdnPricePerGb: must be between 0 and 1000");
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("currency: must be an ISO 4217 currency code");
            assertThat(page.getByLabel("Currency")).hasValue("XYZ");
            page.getByLabel("CDN price per GB").fill(price);
            page.getByLabel("Currency").fill("EUR");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Settings saved");
            page.navigate(url("/"));
            assertThat(page.locator("[data-metric=moneySaved]")).hasText("€0.10");

            // The stream picker narrows the overview to one stream; the week shows the same heartbeats.
            // The pickers send their form once app.js (deferred) is running: wait for the page to have loaded.
            page.waitForLoadState(LoadState.LOAD);
            page.locator("select[name=stream]").selectOption("Final");
            assertThat(page).hasURL(Pattern.compile(".*stream=.*"));
            assertThat(page.locator("main p.muted").first()).containsText("Final, the last 24 hours");
            assertThat(page.locator("[data-metric=bytesSaved]")).hasText("5 GB");
            page.waitForLoadState(LoadState.LOAD);
            page.locator("select[name=hours]").selectOption("last 7 days");
            assertThat(page.locator("main p.muted").first()).containsText("Final, the last 7 days");
            assertThat(page.locator("[data-metric=bytesSaved]")).hasText("5 GB");
            assertThat(page.locator("#trend[data-points]")).hasCount(1);

            page.navigate(url("/analytics"));
            assertThat(page.locator("#analytics[data-loaded=true]")).hasCount(1);
            assertThat(page.locator("#zone-note")).hasText("Times in Europe/Paris");
            assertThat(page.locator("#offload-chart")).isVisible();
            assertThat(page.locator("[data-metric=offload]")).hasText("55.6 %");
            assertThat(page.locator("[data-metric=moneySaved]")).hasText("€0.10");
            assertThat(page.locator("#cohorts tr[data-cohort=p2p] td").nth(2)).hasText("5.3 %");
            assertThat(page.locator("#cohorts tr[data-cohort=holdout] td").nth(2)).hasText("10.0 %");
            assertThat(page.locator("#reasons tr[data-reason=HOLDOUT_COHORT] td").nth(2)).hasText("33.3 %");
            assertThat(page.locator("#reasons tr[data-reason=CELLULAR_UPLOAD_OFF]")).hasCount(1);
            // The chart was drawn: Chart.js registered an instance on the canvas.
            assertThat((Boolean) page.evaluate("() => Chart.getChart('offload-chart') !== undefined")).isTrue();

            // The series downloads as CSV, in the range and zone shown: every heartbeat, per hour and cohort.
            Download download = page.waitForDownload(() -> page.locator("#series-csv").click());
            assertThat(download.suggestedFilename()).isEqualTo("timeseries.csv");
            assertThat(download.url()).contains("hours=24").contains("zone=Europe%2FParis");
            List<String> csv = Files.readAllLines(download.path());
            assertThat(csv.get(0)).startsWith("t,group,events,cdn_bytes,");
            assertThat(csv.subList(1, csv.size())).anySatisfy(row -> assertThat(row).contains(",holdout,1,1000000000,0,"))
                    .allSatisfy(row -> assertThat(row).matches("\\d{4}-.*Z,(p2p|holdout),.*"));
            assertThat(csv.stream().skip(1).mapToLong(row -> Long.parseLong(row.split(",")[2])).sum()).isEqualTo(3);
        }
    }

    @Test
    void aNewUserLoadsDemoDataAndSeesALivingDashboardWithinAMinute() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUp(page, "Demo " + id, "demo-" + id + "@example.com");
            page.navigate(url("/"));
            page.getByText("Load demo data").click();
            assertThat(page.locator("[role=status]")).containsText("Demo streams");

            long deadline = System.nanoTime() + 60_000_000_000L;
            // The day is written oldest first, so the last minutes' viewers arrive last.
            while (List.of("–", "0").contains(page.locator("[data-metric=liveViewers]").textContent())
                    && System.nanoTime() < deadline) {
                page.waitForTimeout(1_000);
                page.reload();
            }
            assertThat(Long.parseLong(page.locator("[data-metric=liveViewers]").textContent().replace(",", "")))
                    .as("whole viewers").isGreaterThan(100);
            assertThat(page.getByText("No telemetry yet.")).hasCount(0);
            // The trend charts: the day hour by hour (the demo covers all of it). They are fetched after the page
            // loads, while the demo's last minutes may still be written: they too have what is left of the minute.
            page.locator("#trend[data-points], #load-error:not([hidden])").first().waitFor(
                    new Locator.WaitForOptions().setTimeout(Math.max(5_000, (deadline - System.nanoTime()) / 1_000_000)));
            assertThat(page.locator("#load-error")).isHidden();
            assertThat(page.locator("#trend[data-points]")).hasCount(1);
            assertThat(Integer.parseInt(page.locator("#trend").getAttribute("data-points"))).isGreaterThanOrEqualTo(20);
            assertThat((Boolean) page.evaluate("() => Chart.getChart('trend-bytes').data.datasets[0].data"
                    + ".some(gigabytes => gigabytes > 0)")).as("bytes from peers").isTrue();
            assertThat(page.locator("table[data-top=viewers] tbody tr").first()).containsText("Cup final (demo)");
            screenshot(page, "overview.png");

            page.navigate(url("/analytics"));
            assertThat(page.locator("#analytics[data-loaded=true]")).hasCount(1);
            assertThat(page.locator("#cohorts tr[data-cohort=holdout]")).hasCount(1);
            assertThat(page.locator("#reasons tr[data-reason=SWARM_TOO_SMALL]")).hasCount(1);
            assertThat(page.locator("#live-events tr[data-event='Cup final'] td").nth(1)).hasText("2000 ms");
            assertThat((Boolean) page.evaluate("() => Chart.getChart('concurrency-chart').data.labels.length >= 3"))
                    .isTrue();
            screenshot(page, "analytics.png");
            page.navigate(url("/analytics/quality"));
            assertThat(page.locator("#quality[data-loaded=true]")).hasCount(1);
            assertThat(page.locator("#by-player tr[data-group='hls.js 1.5']")).hasCount(2);
            screenshot(page, "quality.png");
            page.navigate(url("/live-events"));
            assertThat(page.getByText("Cup final").first()).isVisible();

            // When the data cannot be loaded the page says so instead of staying half drawn.
            page.route("**/analytics/data**", route -> route.fulfill(new Route.FulfillOptions().setStatus(503)));
            page.navigate(url("/analytics"));
            assertThat(page.locator("#load-error")).isVisible();
            assertThat(page.locator("#load-error")).containsText("(503)");
            page.unroute("**/analytics/data**");

            // A stream's page carries its own analytics: the film has a small audience and no live event.
            page.navigate(url("/streams"));
            page.getByText("Feature film (demo)").first().click();
            assertThat(page.locator("#analytics[data-loaded=true]")).hasCount(1);
            assertThat(page.locator("#no-live-events")).isVisible();
            assertThat(page.locator("#reasons tr[data-reason=SWARM_TOO_SMALL]")).hasCount(1);
            assertThat(page.locator("#live-events tr")).hasCount(1);

            // Demo data is labelled on the overview and goes with one click (and a confirmation), once generated.
            page.navigate(url("/"));
            assertThat(page.locator("#demo-data")).containsText("These numbers include demo data");
            page.onDialog(dialog -> dialog.accept());
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove demo data")).click();
            while (page.getByText("still being generated").count() > 0 && System.nanoTime() < deadline) {
                page.waitForTimeout(1_000);
                page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove demo data")).click();
            }
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Demo data removed");
            assertThat(page.getByText("No telemetry yet.")).isVisible();
            assertThat(page.locator("#demo-data")).hasCount(0);
        }
    }

    @Test
    void theBatteryAndQualityPageMeasuresWhatPeerToPeerCostsAgainstTheHoldout() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUp(page, "Quality " + id, "quality-" + id + "@example.com");
            page.navigate(url("/analytics/quality"));
            assertThat(page.locator("#quality[data-loaded=true]")).hasCount(1);
            assertThat(page.locator("#no-data")).isVisible();

            UUID tenantId = accounts.findTenantByName("Quality " + id).orElseThrow().id();
            streams.create(tenantId, new StreamRequest("final", "Final", StreamKind.LIVE, List.of(), null, false),
                    Actor.SYSTEM);
            String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "player", List.of(), null),
                    Actor.SYSTEM).key();
            // One unplugged phone per cohort, 10 s apart: p2p loses 1 point of battery, the holdout half a point.
            Instant now = Instant.now().minusSeconds(90);
            String body = "{\"events\": [" + String.join(",",
                    battery(event(now, "p2p", 1_000_000_000L, 3_000_000_000L, null), "p2p-phone", 0.80),
                    battery(event(now.plusSeconds(10), "p2p", 1_000_000_000L, 3_000_000_000L, null), "p2p-phone", 0.79),
                    battery(event(now, "holdout", 1_000_000_000L, 0, "HOLDOUT_COHORT"), "holdout-phone", 0.80),
                    battery(event(now.plusSeconds(10), "holdout", 1_000_000_000L, 0, "HOLDOUT_COHORT"), "holdout-phone",
                            0.795)) + "]}";
            assertThat(new Http(port).post("/v1/telemetry?key=" + key, body).json().get("accepted").asInt())
                    .isEqualTo(4);

            page.reload();
            assertThat(page.locator("#quality[data-loaded=true]")).hasCount(1);
            // Drain per hour: 0.01 per 10 s is 360 points an hour, 0.005 is 180.
            assertThat(page.locator("#battery-cost")).hasText("+180.0 points/h");
            assertThat(page.locator("#battery-detail")).containsText("p2p 360.0 points");
            assertThat(page.locator("#rebuffer-cost")).hasText("−4.7 points");
            // One session per cohort: the holdout is too small to tell anything from.
            assertThat(page.locator("#battery-interval")).hasAttribute("data-verdict", "TOO_FEW_SESSIONS");
            assertThat(page.locator("#battery-interval")).hasText("Too few sessions to tell: p2p 1, holdout 1 "
                    + "(at least 30 each).");
            assertThat(page.locator("#rebuffer-interval")).hasAttribute("data-verdict", "TOO_FEW_SESSIONS");
            assertThat(page.locator("#by-device tr[data-group=mobile][data-cohort=holdout] td").nth(3))
                    .hasText("180.0 points");
            assertThat(page.locator("#by-network tr[data-group=cellular][data-cohort=p2p] td").nth(5)).hasText("75.0 %");
            // Beside device and network: NAT type, and the player and SDK the heartbeats name (these name none).
            assertThat(page.locator("#by-nat tbody tr")).not().hasCount(0);
            assertThat(page.locator("#by-player tr[data-group=unknown][data-cohort=p2p] td").nth(2)).hasText("0.01");
            assertThat(page.locator("#by-sdk tr[data-group=unknown]")).hasCount(2);
            assertThat((Boolean) page.evaluate("() => Chart.getChart('battery-chart').data.datasets.length === 2"))
                    .isTrue();
        }
    }

    private static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(Path.of("target/screenshots"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots", name)).setFullPage(true));
    }

    /** The heartbeat of one unplugged phone's session at a battery level. */
    private static String battery(String event, String session, double level) {
        return event.replaceFirst("\"sessionId\": \"[^\"]*\"", "\"sessionId\": \"" + session + "\"")
                .replace("\"device\": \"mobile\"", "\"device\": \"mobile\", \"battery\": " + level
                        + ", \"charging\": false");
    }

    private void signUp(Page page, String organisation, String email) {
        Dashboard.signUp(page, url(""), organisation, "Ana", email);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static String event(Instant ts, String cohort, long cdn, long p2p, String reason) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "session-%s", "streamId": "final", "cohort": "%s",
                 "intervalMs": 10000, "cdnBytes": %d, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": 9000,
                 "rebufferMs": %d, "device": "mobile", "network": "cellular", "p2pReasons": [%s]}"""
                .formatted(UUID.randomUUID(), ts.truncatedTo(ChronoUnit.MILLIS),
                        UUID.randomUUID().toString().substring(0, 8), cohort, cdn, p2p, cohort.equals("p2p") ? 500 : 1000,
                        reason == null ? "" : "\"" + reason + "\"");
    }
}
