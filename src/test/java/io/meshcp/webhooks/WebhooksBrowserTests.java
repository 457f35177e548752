package io.meshcp.webhooks;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.regex.Pattern;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Chromium;
import io.meshcp.support.Dashboard;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An admin sets webhooks up in the dashboard, in Chromium. This application sends no deliveries (the test
 * configuration leaves that to WebhooksTests' nodes): the pages show them as due.
 */
@IntegrationTest
// In the second lane (TestLanes), beside the rest of the suite.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
class WebhooksBrowserTests extends BrowserTestBase {

    @LocalServerPort
    int port;

    @Test
    void anAdminAddsAnEndpointSeesItsSecretOnceSendsATestRotatesAndDeletesIt() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String base = "http://localhost:" + port;
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            Dashboard.signUp(page, base, "Hooks " + id, "Hana", "hooks-" + id + "@example.com");
            page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                    .setName("Webhooks")).click();
            assertThat(page).hasURL(base + "/webhooks");
            assertThat(page.getByText("No endpoints yet.")).isVisible();

            // An address inside the network is refused, and what was typed comes back.
            page.getByLabel("URL").fill("https://10.0.0.5/hook");
            page.getByLabel("Description").fill("ops pager");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add endpoint")).click();
            assertThat(page.getByRole(AriaRole.ALERT).first()).containsText("may not reach");
            assertThat(page.getByLabel("URL")).hasValue("https://10.0.0.5/hook");

            String url = "https://hooks-" + id + ".example.invalid/meshcp";
            page.getByLabel("URL").fill(url);
            page.getByLabel("policy.changed").uncheck();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add endpoint")).click();
            String secret = page.locator("#new-secret").innerText();
            assertThat(secret).startsWith("whsec_");
            Locator row = page.locator("tr[data-endpoint='" + url + "']");
            assertThat(row).containsText("delivering");
            assertThat(row).containsText("kill_switch.engaged");
            assertThat(row).not().containsText("policy.changed");
            page.reload();
            assertThat(page.locator("#new-secret")).hasCount(0);
            assertThat(page.content()).doesNotContain(secret);

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Send a test event")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("test event is on its way");
            assertThat(page.locator("#deliveries")).containsText("ping");
            // Due: this application sends nothing. WebhooksTests' own nodes, running beside it, may have tried it.
            assertThat(page.locator("#deliveries .badge")).hasText(Pattern.compile("due|retrying|gave up"));
            // Edited on its own page: policy changes wanted too, key events no more.
            page.getByText("Edit the endpoint").click();
            Locator form = page.locator("#endpoint-form");
            form.getByLabel("policy.changed").check();
            form.getByLabel("api_key.created").uncheck();
            form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save endpoint")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Endpoint saved.");
            page.getByText("← Webhooks").click();
            assertThat(row).containsText("policy.changed");
            assertThat(row).not().containsText("api_key.created");

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Rotate secret")).click();
            String rotated = page.locator("#new-secret").innerText();
            assertThat(rotated).startsWith("whsec_").isNotEqualTo(secret);
            assertThat(row).containsText("old secret also signs until");

            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Disable")).click();
            assertThat(row).containsText("disabled");
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable")).click();
            assertThat(row).containsText("delivering");

            // A day of failures, as the senders leave it: every page tells the admins.
            TestDatabase.owner().update("update webhook_endpoints set enabled = false, disabled_reason = "
                    + "'deliveries have failed for 24 h (last: HTTP 500)' where url = ?", url);
            page.navigate(base + "/");
            assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("Webhook")))
                    .containsText("Webhook endpoint " + url + " is disabled");
            page.navigate(base + "/webhooks");
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Enable")).click();
            assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("Webhook")))
                    .hasCount(0);

            page.onceDialog(dialog -> dialog.accept());
            row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")).click();
            assertThat(page.getByText("No endpoints yet.")).isVisible();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("deleted");
        }
    }
}
