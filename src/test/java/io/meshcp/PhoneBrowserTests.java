package io.meshcp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.BoundingBox;
import io.meshcp.accounts.Accounts;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard on a phone (390 x 844): ops staff check a live event and flip the switch, charts stay readable,
 * tables fold into cards, and no page scrolls sideways.
 */
@IntegrationTest
class PhoneBrowserTests extends BrowserTestBase {

    static final int WIDTH = 390;

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    ApiKeys apiKeys;

    @Test
    void onAPhoneOpsCheckTheirStreamsEditAPolicyAndFlipTheSwitchWithoutScrollingSideways() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(WIDTH, 844)
                .setIsMobile(true).setHasTouch(true))) {
            Page page = context.newPage();
            Dashboard.signUp(page, url(""), "Pocket " + id, "Pat", "pocket-" + id + "@example.com");
            fitsTheScreen(page);

            page.navigate(url("/streams"));
            page.getByLabel("External id").fill("derby");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Derby");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add stream")).click();
            assertThat(page.locator("h1")).hasText("Derby");
            UUID tenantId = accounts.findTenantByName("Pocket " + id).orElseThrow().id();
            String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "player", List.of(), null),
                    Actor.SYSTEM).key();
            Instant now = Instant.now().minusSeconds(60);
            new Http(port).post("/v1/telemetry?key=" + key, "{\"events\": [" + event(now, "p2p") + ","
                    + event(now.plusSeconds(10), "holdout") + "]}");

            // The policy editor folds each field into a card; its inputs are on screen and work.
            page.reload();
            Locator budget = page.locator("#policy-editor tr[data-field='latencyBudgetMs']");
            assertThat(budget).isVisible();
            onScreen(page.getByLabel("value of Latency budget (ms)"));
            onScreen(page.getByLabel("override Latency budget (ms)"));
            page.getByLabel("value of Latency budget (ms)").fill("3000");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save policy")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved as version 1");
            assertThat(budget.locator(".effective")).hasText("3000");
            fitsTheScreen(page);

            // Charts at least 200 px tall, on the overview and the analytics page.
            page.navigate(url("/"));
            assertThat(page.locator("#trend[data-points]")).hasCount(1);
            tallEnough(page, "#trend-offload");
            tallEnough(page, "#trend-bytes");
            fitsTheScreen(page);
            page.navigate(url("/analytics"));
            assertThat(page.locator("#analytics[data-loaded=true]")).hasCount(1);
            tallEnough(page, "#offload-chart");
            fitsTheScreen(page);

            // Key actions are reachable: the key's row is a card with its buttons on screen.
            page.navigate(url("/keys"));
            Locator row = page.locator("tr[data-key-prefix='" + key.substring(0, 12) + "']");
            onScreen(row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate")));
            onScreen(row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")));
            fitsTheScreen(page);

            // A live event under way: its window and budget are readable and can be changed from the phone.
            String secret = apiKeys.create(tenantId, new NewKey(KeyKind.SECRET, "ops", List.of(), null), Actor.SYSTEM)
                    .key();
            String streamId = new Http(port).get("/api/v1/streams/by-external-id/derby", Http.bearer(secret)).json().get("id")
                    .asString();
            assertThat(new Http(port).post("/api/v1/live-events", """
                    {"streamId": "%s", "name": "Derby final", "startsAt": "%s", "endsAt": "%s",
                     "overrides": {"latencyBudgetMs": 2000}}""".formatted(streamId, Instant.now().minusSeconds(60),
                    Instant.now().plusSeconds(7_200)), Http.bearer(secret)).status()).isEqualTo(201);
            page.navigate(url("/live-events"));
            Locator event = page.locator("table[data-section='active'] tr[data-event='Derby final']");
            assertThat(event.locator(".budget")).hasText("2000 ms");
            onScreen(event.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change")));
            event.locator("input[name=latencyBudgetMs]").fill("1500");
            event.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Change")).click();
            assertThat(event.locator(".budget")).hasText("1500 ms");
            fitsTheScreen(page);

            for (String path : List.of("/audit", "/team", "/settings", "/integration", "/analytics/quality")) {
                page.navigate(url(path));
                fitsTheScreen(page);
            }

            // The switch, flipped from the phone, with its reason and confirmation.
            page.navigate(url("/policy"));
            page.getByLabel("Reason").fill("stadium Wi-Fi");
            page.onceDialog(dialog -> dialog.accept());
            onScreen(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Turn p2p off for every stream")));
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Turn p2p off for every stream")).click();
            assertThat(page.locator(".incident")).containsText("p2p is off for every stream");
            fitsTheScreen(page);
            Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/policy-phone.png"))
                    .setFullPage(true));
        }
    }

    /** Nothing on the page is wider than the screen: no sideways scrolling. */
    private static void fitsTheScreen(Page page) {
        page.waitForLoadState();
        Integer overflow = (Integer) page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat(overflow).as("sideways overflow of " + page.url()).isLessThanOrEqualTo(0);
    }

    private static void onScreen(Locator element) {
        element.scrollIntoViewIfNeeded();
        BoundingBox box = element.boundingBox();
        assertThat(box).as("visible").isNotNull();
        assertThat(box.x).isGreaterThanOrEqualTo(0);
        assertThat(box.x + box.width).as("right edge").isLessThanOrEqualTo(WIDTH);
    }

    private static void tallEnough(Page page, String canvas) {
        BoundingBox box = page.locator(canvas).boundingBox();
        assertThat(box).as(canvas).isNotNull();
        assertThat(box.height).as(canvas + " height").isGreaterThanOrEqualTo(200);
        assertThat(box.width).as(canvas + " width").isLessThanOrEqualTo(WIDTH);
    }

    private static String event(Instant ts, String cohort) {
        return """
                {"eventId": "%s", "ts": "%s", "sessionId": "phone-%s", "streamId": "derby", "cohort": "%s",
                 "intervalMs": 10000, "cdnBytes": 2000000, "p2pBytesDown": %d, "p2pBytesUp": 0, "playMs": 10000,
                 "rebufferMs": 0, "device": "mobile", "network": "wifi", "p2pReasons": []}"""
                .formatted(UUID.randomUUID(), ts, cohort, cohort, cohort.equals("p2p") ? 3_000_000 : 0);
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
