package io.meshcp;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.meshcp.support.Http.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Dashboard;
import io.meshcp.support.Fixtures;
import io.meshcp.support.Http;
import io.meshcp.support.Http.Response;
import io.meshcp.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What a new customer does first, in Debian's Chromium driven by Playwright. */
@IntegrationTest
class BrowserTests extends BrowserTestBase {

    @LocalServerPort
    int port;

    @Test
    void aNewCustomerSignsUpCreatesASecretKeySeesItOnceAndRevokesIt() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String organisation = "Browser " + id;
        String email = "browser-" + id + "@example.com";
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();

            page.navigate(url("/signup"));
            page.getByLabel("Organisation").fill(organisation);
            page.getByLabel("Your name").fill("Bea");
            page.getByLabel("Email").fill(email);
            page.getByLabel("Password").fill(Fixtures.PASSWORD);
            String sessionBefore = sessionId(context);
            page.getByRole(AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Create organisation")).click();
            // Signed in at once, in a new session, on the page that says what to paste.
            assertThat(page).hasURL(url("/integration"));
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("ready");
            assertThat(page.locator("header .who-name")).hasText("Bea");
            // The tab shows the product's icon.
            assertThat(page.locator("link[rel=icon]")).hasAttribute("href", "/favicon.svg");
            Response icon = new Http(port).get("/favicon.svg");
            assertThat(icon.status()).isEqualTo(200);
            assertThat(icon.header("Content-Type")).startsWith("image/svg+xml");
            assertThat(sessionId(context)).isNotNull().isNotEqualTo(sessionBefore);

            page.navigate(url("/keys"));
            assertThat(page.locator(".empty")).containsText("No keys yet");
            page.getByLabel("Kind").selectOption("SECRET");
            page.getByLabel("Name").fill("deploy pipeline");
            page.getByRole(AriaRole.BUTTON,
                    new Page.GetByRoleOptions().setName("Create key")).click();
            String key = page.locator("#new-key").innerText().strip();
            assertThat(key).matches("mesh_sk_[A-Za-z0-9]{43}");

            Http http = new Http(port);
            Response accepted = http.get("/api/v1/tenant", bearer(key));
            assertThat(accepted.status()).isEqualTo(200);
            assertThat(accepted.json().get("name").asString()).isEqualTo(organisation);

            page.reload();
            assertThat(page.locator("#new-key")).hasCount(0);
            assertThat(page.content()).doesNotContain(key).contains(key.substring(0, 12));

            page.onceDialog(dialog -> dialog.accept());
            page.locator("tr[data-key-prefix='" + key.substring(0, 12) + "']")
                    .getByRole(AriaRole.BUTTON,
                            new Locator.GetByRoleOptions().setName("Revoke"))
                    .click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("revoked");

            Response refused = http.get("/api/v1/tenant", bearer(key));
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:meshcp:problem:unauthenticated");
        }
    }

    @Test
    void destructiveActionsAskFirstAndADismissedOneChangesNothing() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUpAndIn(page, "Careful " + id, "careful-" + id + "@example.com");
            List<String> asked = new ArrayList<>();
            AtomicBoolean accept = new AtomicBoolean();
            page.onDialog(dialog -> {
                asked.add(dialog.message());
                if (accept.get()) {
                    dialog.accept();
                }
                else {
                    dialog.dismiss();
                }
            });
            Http http = new Http(port);

            page.navigate(url("/keys"));
            page.getByLabel("Kind").selectOption("SECRET");
            page.getByLabel("Name").fill("ci");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
            String first = page.locator("#new-key").innerText().strip();
            page.reload();
            // A rotation with a grace period asks nothing.
            Locator firstRow = page.locator("tr[data-key-prefix='" + first.substring(0, 12) + "']");
            firstRow.getByLabel("Old key keeps working for").selectOption("24");
            firstRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate")).click();
            String second = page.locator("#new-key").innerText().strip();
            assertThat(asked).isEmpty();
            assertThat(http.get("/api/v1/tenant", bearer(first)).status()).as("in its grace period").isEqualTo(200);

            // One that stops the old key now asks, and a no changes nothing.
            page.reload();
            Locator secondRow = page.locator("tr[data-key-prefix='" + second.substring(0, 12) + "']");
            secondRow.getByLabel("Old key keeps working for").selectOption("0");
            secondRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate")).click();
            awaitQuestions(page, asked, 1);
            assertThat(asked).singleElement().asString().contains("stop the old key now");
            assertThat(page.locator("#new-key")).hasCount(0);
            assertThat(http.get("/api/v1/tenant", bearer(second)).status()).isEqualTo(200);
            accept.set(true);
            secondRow.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate")).click();
            awaitQuestions(page, asked, 2);
            assertThat(asked).hasSize(2);
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("no longer works");
            assertThat(http.get("/api/v1/tenant", bearer(second)).status()).isEqualTo(401);

            // Archiving a stream asks; restoring does not.
            page.navigate(url("/streams"));
            page.getByLabel("External id").fill("to-archive");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("To archive");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add stream")).click();
            assertThat(page.locator("h1")).hasText("To archive");
            // The form's confirmation is app.js's, a deferred script: it listens once the page has loaded.
            page.waitForLoadState();
            accept.set(false);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Archive")).click();
            awaitQuestions(page, asked, 3);
            assertThat(asked).hasSize(3).last().asString().contains("Archive To archive?");
            page.reload();
            assertThat(page.locator(".badge", new Page.LocatorOptions().setHasText("archived"))).hasCount(0);
            accept.set(true);
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Archive")).click();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore"))).isVisible();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Restore")).click();
            assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Archive"))).isVisible();
            awaitQuestions(page, asked, 4);
            assertThat(asked).hasSize(4);

            // A refused form keeps what was typed: the same external id again.
            page.navigate(url("/streams"));
            page.getByLabel("External id").fill("to-archive");
            page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("Second try");
            page.getByLabel("Kind").selectOption("VOD");
            page.locator("textarea[name=renditions]").fill("720p 3000000 1280x720");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add stream")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("externalId");
            assertThat(page.getByLabel("External id")).hasValue("to-archive");
            assertThat(page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true))).hasValue("Second try");
            assertThat(page.getByLabel("Kind")).hasValue("VOD");
            assertThat(page.locator("textarea[name=renditions]")).hasValue("720p 3000000 1280x720");

            // Revoking an invitation asks; a no keeps its link working.
            page.navigate(url("/team"));
            page.getByLabel("Email").fill("invitee-" + id + "@example.com");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation link")).click();
            Locator invitation = page.locator("tr", new Page.LocatorOptions().setHasText("invitee-" + id));
            accept.set(false);
            invitation.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
            awaitQuestions(page, asked, 5);
            assertThat(asked).hasSize(5).last().asString().contains("Revoke the invitation for invitee-" + id);
            page.reload();
            assertThat(invitation).hasCount(1);
            accept.set(true);
            invitation.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Revoke")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Invitation revoked");
            assertThat(invitation).hasCount(0);
        }
    }

    @Test
    void thePolicyEditorSpeaksTheOpsTeamsLanguageAndKeepsWhatWasTyped() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUpAndIn(page, "Editor " + id, "editor-" + id + "@example.com");
            page.navigate(url("/policy"));
            Locator budget = page.locator("#policy-editor tr[data-field='latencyBudgetMs']");
            Locator battery = page.locator("#policy-editor tr[data-field='minBatteryForUpload']");
            assertThat(budget.locator("strong")).hasText("Latency budget (ms)");
            assertThat(budget).containsText("live edge");

            // Typing a value overrides the field at this level.
            assertThat(page.getByLabel("override Latency budget (ms)")).not().isChecked();
            page.getByLabel("value of Latency budget (ms)").fill("8000");
            assertThat(page.getByLabel("override Latency budget (ms)")).isChecked();

            // A refused value stays in its field, with the reason beside it, and so does everything else typed.
            page.getByLabel("value of Minimum battery to upload (0-1)").fill("lots");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save policy")).click();
            assertThat(page.locator("#policy-editor .error")).containsText("Nothing was saved");
            assertThat(battery.locator(".field-error")).hasText("must be a number");
            assertThat(page.getByLabel("value of Minimum battery to upload (0-1)")).hasValue("lots");
            assertThat(page.getByLabel("value of Latency budget (ms)")).hasValue("8000");
            assertThat(page.getByLabel("override Latency budget (ms)")).isChecked();

            page.getByLabel("value of Minimum battery to upload (0-1)").fill("0.4");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save policy")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Saved as version 1");
            assertThat(budget.locator(".effective")).hasText("8000");

            // Saving again without a change makes no version.
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save policy")).click();
            assertThat(page.locator("#policy-editor .error")).containsText("Nothing changed");
            assertThat(page.locator("#policy-editor h2 .muted")).hasText("version 1");
        }
    }

    @Test
    void refusedKeyAndInvitationFormsComeBackWithWhatWasTyped() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            signUpAndIn(page, "Typist " + id, "typist-" + id + "@example.com");

            page.navigate(url("/keys"));
            page.getByLabel("Kind").selectOption("PUBLISHABLE");
            page.getByLabel("Name").fill("web player");
            page.getByLabel("Allowed origins").fill("https://ok.example.com\nnot an origin");
            page.getByLabel("Expires after (days)").fill("30");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create key")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("No key was created: allowedOrigins");
            assertThat(page.getByLabel("Kind")).hasValue("PUBLISHABLE");
            assertThat(page.getByLabel("Name")).hasValue("web player");
            assertThat(page.getByLabel("Allowed origins")).hasValue("https://ok.example.com\nnot an origin");
            assertThat(page.getByLabel("Expires after (days)")).hasValue("30");
            assertThat(page.locator(".empty")).containsText("No keys yet");

            page.navigate(url("/team"));
            page.getByLabel("Email").fill("ops@localhost");
            page.locator("form[action$='/team/invitations'] select[name=role]").selectOption("OPS");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create invitation link")).click();
            assertThat(page.getByRole(AriaRole.ALERT)).containsText("No invitation was made");
            assertThat(page.getByLabel("Email")).hasValue("ops@localhost");
            assertThat(page.locator("form[action$='/team/invitations'] select[name=role]")).hasValue("OPS");
        }
    }

    /**
     * Waits until {@code count} confirmations were asked. Playwright hands a dialog to its handler while the test's
     * thread is inside one of its calls, so the wait is one.
     */
    private static void awaitQuestions(Page page, List<String> asked, int count) {
        page.waitForCondition(() -> asked.size() >= count);
    }

    private void signUpAndIn(Page page, String organisation, String email) {
        Dashboard.signUp(page, url(""), organisation, "Cara", email);
    }

    @Test
    void theDashboardIsUsableOnAPhoneSizedScreen() throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844))) {
            Page page = context.newPage();
            Dashboard.signUp(page, url(""), "Phone " + id, "Pia", "phone-" + id + "@example.com");
            page.navigate(url("/"));

            assertThat(page.locator("nav.nav")).isHidden();
            page.locator("label.nav-toggle-label").click();
            assertThat(page.locator("nav.nav")).isVisible();
            page.locator("nav.nav").getByText("API keys").click();
            assertThat(page).hasURL(url("/keys"));
            Integer overflow = (Integer) page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(overflow).isLessThanOrEqualTo(0);
            Files.createDirectories(Path.of("target/screenshots"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/keys-phone.png"))
                    .setFullPage(true));
        }
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private static String sessionId(BrowserContext context) {
        return context.cookies().stream().filter(cookie -> cookie.name.equals("JSESSIONID")).map(c -> c.value)
                .findFirst().orElse(null);
    }
}
