package io.meshcp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Dialog;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.accounts.Accounts;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import io.meshcp.signaling.PeerClient;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The ops flow of a live event, in Debian's Chromium, checked against what players get from client-config. */
@IntegrationTest
// In the second lane (TestLanes), beside the rest of the suite.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
class OpsBrowserTests extends BrowserTestBase {

    static final ZoneId VIEWER_ZONE = ZoneId.of("America/New_York");

    @LocalServerPort
    int port;

    @Autowired
    Accounts accounts;

    @Autowired
    ApiKeys apiKeys;

    @Autowired
    Fixtures fixtures;

    @Test
    void opsScheduleAnEventTightenItsBudgetAndPullTheKillSwitchAndPlayersFollow() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = "ops-" + id + "@example.com";
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setTimezoneId(VIEWER_ZONE.getId()))) {
            Page page = context.newPage();
            Dashboard.signUp(page, url(""), "Ops " + id, "Otto", email);

            page.navigate(url("/streams"));
            page.getByLabel("External id").fill("derby");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Derby");
            page.getByRole(AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Add stream")).click();
            assertThat(page.locator("h1")).hasText("Derby");
            assertThat(page.locator("#policy-editor tr[data-field='latencyBudgetMs'] .effective")).hasText("6000");

            UUID tenantId = accounts.findTenantByName("Ops " + id).orElseThrow().id();
            String key = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "player", List.of(), null),
                    Actor.SYSTEM).key();
            Http http = new Http(port);
            String configPath = "/v1/client-config?stream=derby&key=" + key;

            DateTimeFormatter local = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm");
            LocalDateTime now = LocalDateTime.now(VIEWER_ZONE).truncatedTo(ChronoUnit.MINUTES);
            page.navigate(url("/live-events"));
            // The stream is picked from the organisation's streams, found by name.
            assertThat(page.locator("#stream-options option[value='derby']")).hasText("Derby");
            Locator form = page.locator("form[data-policy-form]");
            Locator stream = form.getByLabel("Stream", new Locator.GetByLabelOptions().setExact(true));
            Locator name = form.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true));
            Locator mobilePeers = form.locator("input[name='value.maxPeers.mobile']");
            stream.fill("Derby");
            name.fill("Derby final");
            form.getByLabel("Starts").fill(now.plusHours(1).format(local));
            form.getByLabel("Ends").fill(now.minusMinutes(30).format(local));
            form.locator("input[name='value.latencyBudgetMs']").fill("2000");
            mobilePeers.fill("30");
            // Typing a value ticks its override box.
            assertThat(form.locator("input[name='set.maxPeers.mobile']")).isChecked();
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Schedule")).click();

            // Refused: every problem beside its field, and everything typed still there.
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("values need fixing");
            assertThat(form.locator("tr[data-field='maxPeers.mobile'] .field-error")).hasText("must be between 0 and 12");
            assertThat(form).containsText("must be after startsAt");
            assertThat(mobilePeers).hasValue("30");
            assertThat(stream).hasValue("Derby");
            assertThat(name).hasValue("Derby final");
            assertThat(form.getByLabel("Starts")).hasValue(now.plusHours(1).format(local));
            assertThat(page.locator("table[data-section='upcoming']")).hasCount(0);

            form.getByLabel("Starts").fill(now.minusMinutes(1).format(local));
            form.getByLabel("Ends").fill(now.plusHours(2).format(local));
            mobilePeers.fill("3");
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Schedule")).click();
            Locator event = page.locator("table[data-section='active'] tr[data-event='Derby final']");
            assertThat(event.locator(".budget")).hasText("2000 ms");
            assertThat(event.locator(".overrides")).hasText("Peers per mobile viewer: 3");
            awaitPolicy(http, configPath, config -> config.get("policy").get("latencyBudgetMs").asInt() == 2000);
            awaitPolicy(http, configPath + "&device=mobile", config -> config.get("p2p").get("maxPeers").asInt() == 3);

            // Every field of an event can be changed later, on its own page.
            event.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("Edit Derby final")).click();
            assertThat(page.locator("h1")).hasText("Derby final");
            assertThat(page.getByLabel("Starts")).hasValue(now.minusMinutes(1).format(local));
            page.locator("select[name='value.uploadOnCellular']").selectOption("true");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save changes")).click();
            assertThat(event.locator(".overrides")).containsText("Upload on cellular: on");
            assertThat(event.locator(".overrides")).containsText("Peers per mobile viewer: 3");

            page.locator("table[data-section='active'] tr[data-event='Derby final'] input[name=latencyBudgetMs]")
                    .fill("1500");
            page.locator("table[data-section='active'] tr[data-event='Derby final']").getByRole(
                    AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Change")).click();
            assertThat(page.locator("table[data-section='active'] tr[data-event='Derby final'] .budget"))
                    .hasText("1500 ms");
            awaitPolicy(http, configPath, config -> config.get("policy").get("latencyBudgetMs").asInt() == 1500);

            page.navigate(url("/streams"));
            page.getByText("Derby").first().click();
            assertThat(page.locator("#policy-editor tr[data-field='latencyBudgetMs'] .effective")).hasText("1500");
            assertThat(page.locator("#policy-editor tr[data-field='latencyBudgetMs'] .badge")).hasText("LIVE_EVENT");

            page.navigate(url("/policy"));
            page.getByLabel("Reason").fill("CDN incident");
            Locator killAll = page.getByRole(AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Turn p2p off for every stream"));
            page.onceDialog(Dialog::dismiss);
            killAll.click();
            page.reload();
            // A dismissed confirmation engages nothing.
            assertThat(page.locator(".incident")).hasCount(0);
            page.getByLabel("Reason").fill("CDN incident");
            page.getByLabel("Releases itself").selectOption("after 2 hours");
            page.onceDialog(dialog -> {
                assertThat(dialog.message()).contains("every stream");
                dialog.accept();
            });
            killAll.click();
            assertThat(page.getByRole(AriaRole.STATUS))
                    .containsText("Kill switch engaged");
            // Every page says so, naming the scope, who, when and why; the streams list shows each stream off.
            for (String path : List.of("/policy", "/streams", "/analytics", "/keys")) {
                page.navigate(url(path));
                assertThat(page.locator(".incident")).containsText("p2p is off for every stream");
                assertThat(page.locator(".incident")).containsText("CDN incident");
                assertThat(page.locator(".incident time")).hasCount(2);
                assertThat(page.locator(".incident")).containsText("it releases itself");
            }
            // Engaged now, released in two hours: the banner's times are the viewer's clock two hours apart.
            List<String> times = page.locator(".incident time").all().stream()
                    .map(time -> time.getAttribute("datetime")).toList();
            assertThat(Duration.between(Instant.parse(times.get(0)), Instant.parse(times.get(1))))
                    .isBetween(Duration.ofMinutes(119), Duration.ofMinutes(121));
            page.navigate(url("/streams"));
            assertThat(page.locator("tr", new Page.LocatorOptions().setHasText("Derby")).locator(".badge"))
                    .hasText("off: kill switch for every stream");
            awaitPolicy(http, configPath, config -> !config.get("p2p").get("enabled").asBoolean()
                    && config.get("p2p").get("reasons").toString().contains("KILL_SWITCH")
                    && config.get("signaling").isNull());

            // The audit log reads as sentences, naming the stream and the fields by the labels ops staff know.
            page.navigate(url("/audit"));
            assertThat(page.locator("tr[data-type=KILL_SWITCH_ENGAGED] .sentence")).containsText(
                    email + " turned p2p off for every stream, reason: “CDN incident”; it releases itself");
            assertThat(page.locator("tr[data-type=LIVE_EVENT_SCHEDULED] .sentence")).containsText(
                    email + " scheduled the live event “Derby final” on Derby");
            assertThat(page.locator("tr[data-type=LIVE_EVENT_SCHEDULED] .sentence")).containsText(
                    "overriding Latency budget (ms) 2000; Peers per mobile viewer 3");
            assertThat(page.locator("tr[data-type=LIVE_EVENT_CHANGED] .sentence").first()).containsText(
                    "Upload on cellular on");
            assertThat(page.locator("tr[data-type=STREAM_CREATED] .sentence")).hasText(
                    email + " created the stream Derby (derby).");

            Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/audit.png"))
                    .setFullPage(true));
            page.navigate(url("/streams"));
            page.getByText("Derby").first().click();
            assertThat(page.locator("#policy-editor tr[data-field='latencyBudgetMs'] .effective")).hasText("1500");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/stream.png"))
                    .setFullPage(true));
        }
    }

    @Test
    void theSwarmsViewEmptiesWhenTheStreamIsSwitchedOffAndItsPeersAreTold() throws Exception {
        Fixtures.Tenant tenant = fixtures.tenant();
        Http http = new Http(port);
        String[] secret = Http.bearer(fixtures.secretKey(tenant.id()).key());
        String stream = http.post("/api/v1/streams", """
                {"externalId": "derby", "name": "Derby", "kind": "LIVE"}""", secret).json().get("id").asString();
        // No holdout: both viewers must get p2p (a holdout viewer gets no tracker).
        assertThat(http.put("/api/v1/policy", "{\"holdoutPercent\": 0}", Http.with(secret, "If-Match", "\"v0\""))
                .status()).isEqualTo(200);
        String key = fixtures.publishableKey(tenant.id()).key();
        String infoHash = "derby-720p-swarm-001";
        try (PeerClient alice = peer(http, key); PeerClient bob = peer(http, key);
                BrowserContext context = browser.newContext()) {
            for (PeerClient peer : List.of(alice, bob)) {
                peer.send("{\"action\": \"announce\", \"info_hash\": \"" + infoHash + "\", \"peer_id\": \""
                        + UUID.randomUUID().toString().substring(0, 20) + "\", \"numwant\": 0, \"offers\": []}");
                assertThat(peer.nextWith("interval")).isNotNull();
            }
            Page page = context.newPage();
            signIn(page, tenant.ownerEmail());
            page.navigate(url("/streams/" + stream));
            Locator swarms = page.locator("#swarms");
            assertThat(swarms.locator("h2")).containsText("2 peers");
            assertThat(swarms.locator("tbody tr")).hasCount(1);

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Turn p2p off for this stream"))
                    .click();

            assertThat(page.locator(".incident")).containsText("p2p is off for Derby");
            assertThat(swarms.locator(".empty")).containsText("No peers are connected");
            assertThat(swarms.locator("h2")).containsText("0 peers");
            for (PeerClient peer : List.of(alice, bob)) {
                assertThat(peer.nextWith("failure reason").get("failure reason").asString()).contains("KILL_SWITCH");
            }
        }
    }

    private PeerClient peer(Http http, String key) {
        JsonNode signaling = http.get("/v1/client-config?stream=derby&key=" + key).json().get("signaling");
        return PeerClient.connect(URI.create(signaling.get("url").asString()).getPort(),
                signaling.get("token").asString());
    }

    private void signIn(Page page, String email) {
        page.navigate(url("/login"));
        page.getByLabel("Email").fill(email);
        page.getByLabel("Password").fill(Fixtures.PASSWORD);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        assertThat(page).hasURL(url("/"));
    }

    private static void awaitPolicy(Http http, String path, Predicate<JsonNode> condition) {
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> condition.test(http.get(path).json()));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
