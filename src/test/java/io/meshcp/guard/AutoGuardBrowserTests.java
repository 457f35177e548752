package io.meshcp.guard;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.List;
import java.util.UUID;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.policies.Policies;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Dashboard;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The auto-guard in the dashboard, in Chromium: its settings, what it did, and the banner while its switch is on. */
@IntegrationTest
// In the second lane (TestLanes), beside the rest of the suite.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
class AutoGuardBrowserTests extends BrowserTestBase {

    @LocalServerPort
    int port;

    @Autowired
    Streams streams;

    @Autowired
    Policies policies;

    @Test
    void opsTurnTheGuardOnAndSeeWhatItDidAndWhy() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String base = "http://localhost:" + port;
        String email = "guard-" + id + "@example.com";
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            Dashboard.signUp(page, base, "Guard " + id, "Gus", email);
            page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                    .setName("Auto-guard")).click();
            assertThat(page.getByText("Nothing yet.")).isVisible();
            assertThat(page.getByLabel("Watch every stream")).not().isChecked();

            Locator organisation = page.locator("#guard-settings");
            organisation.getByLabel("Watch every stream").check();
            organisation.getByLabel("Margin").fill("2");
            organisation.getByLabel("Window").fill("45");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("watches every stream");
            assertThat(organisation.getByLabel("Watch every stream")).isChecked();
            assertThat(organisation.getByLabel("Margin")).hasValue("2.0");
            assertThat(organisation.getByLabel("Window")).hasValue("45");

            // What the guard leaves when it acts: its switch on the stream, and its evidence.
            UUID tenantId = Dashboard.tenantOf(email);
            UUID stream = streams.create(tenantId, new StreamRequest("final", "Cup final", StreamKind.LIVE,
                    List.of(), null, false), Actor.SYSTEM).id();
            // One stream opts out, then follows the organisation again.
            page.reload();
            Locator ownForm = page.locator("#guard-stream-settings");
            ownForm.getByLabel("Stream (external id)").fill("final");
            ownForm.getByLabel("Watch this stream").uncheck();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Set this stream's own")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("Cup final has auto-guard settings of its own");
            assertThat(page.locator("#guard-streams")).containsText("Cup final");
            assertThat(page.locator("#guard-streams")).containsText("no");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Follow the organisation")).click();
            assertThat(page.locator("#guard-streams")).hasCount(0);

            policies.engageAutoGuard(tenantId, stream, "AUTO_GUARD: p2p viewers stalled 9.00% of their watch time",
                    null);
            TestDatabase.owner().update("""
                    insert into auto_guard_actions (tenant_id, stream_id, acted_at, p2p_rebuffer, holdout_rebuffer,
                        difference_low, difference_high, p2p_sessions, holdout_sessions, margin, window_minutes)
                    values (?, ?, now(), 0.09, 0.015, 0.06, 0.09, 412, 38, 0.02, 45)""", tenantId, stream);
            page.reload();
            assertThat(page.locator("#guard-actions")).containsText("Cup final");
            assertThat(page.locator("#guard-actions")).containsText("9.00 % against 1.50 %");
            assertThat(page.locator("#guard-actions")).containsText("412 and 38 sessions over 45 min");
            assertThat(page.getByRole(AriaRole.ALERT).first()).containsText("p2p is off for Cup final");
            assertThat(page.getByRole(AriaRole.ALERT).first()).containsText("auto-guard");
        }
    }
}
