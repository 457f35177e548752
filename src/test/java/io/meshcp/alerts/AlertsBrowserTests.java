package io.meshcp.alerts;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import io.meshcp.policies.LiveEventRequest;
import io.meshcp.policies.LiveEvents;
import io.meshcp.policies.PolicyFields;
import io.meshcp.shared.caller.Actor;
import io.meshcp.streams.StreamKind;
import io.meshcp.streams.StreamRequest;
import io.meshcp.streams.Streams;
import io.meshcp.support.BrowserTestBase;
import io.meshcp.support.Dashboard;
import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestLanes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Alerts in the dashboard, in Chromium: a rule added, its alert firing on every page, the rule deleted. */
@IntegrationTest
// In the second lane (TestLanes), beside the rest of the suite.
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(TestLanes.SECOND)
class AlertsBrowserTests extends BrowserTestBase {

    @LocalServerPort
    int port;

    @Autowired
    Streams streams;

    @Autowired
    LiveEvents liveEvents;

    @Autowired
    Alerts alerts;

    @Test
    void opsAddARuleSeeItsAlertFireOnTheOverviewAndDeleteIt() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String base = "http://localhost:" + port;
        String email = "alerts-" + id + "@example.com";
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            Dashboard.signUp(page, base, "Alerts " + id, "Ada", email);
            UUID tenantId = Dashboard.tenantOf(email);
            UUID stream = streams.create(tenantId, new StreamRequest("final", "Cup final", StreamKind.LIVE, List.of(),
                    null, false), Actor.SYSTEM).id();
            Instant now = Instant.now();

            page.getByRole(AriaRole.NAVIGATION).getByRole(AriaRole.LINK, new Locator.GetByRoleOptions()
                    .setName("Alerts")).click();
            assertThat(page.getByText("All quiet.")).isVisible();
            page.getByLabel("Condition").selectOption("NO_HEARTBEATS");
            page.getByLabel("For (minutes)").fill("5");
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Add rule")).click();
            assertThat(page.getByRole(AriaRole.STATUS)).containsText("no heartbeats during a live event");
            assertThat(page.locator("#alert-rules")).containsText("5 min");

            // A live event on for ten minutes without a heartbeat.
            liveEvents.create(tenantId, new LiveEventRequest(stream, "Final", now.minus(10, ChronoUnit.MINUTES),
                    now.plus(1, ChronoUnit.HOURS), new PolicyFields(null, 8_000, null, null, null, null, null, null,
                            null)), Actor.SYSTEM);
            alerts.evaluate(now);
            page.navigate(base + "/");
            assertThat(page.getByRole(AriaRole.ALERT).filter(new Locator.FilterOptions().setHasText("Alert on")))
                    .containsText("Alert on Cup final: no heartbeats during a live event");
            page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("See alerts")).click();
            assertThat(page.locator("#alerts-now")).containsText("firing");
            assertThat(page.locator("#alert-history")).containsText("fired");

            page.onceDialog(dialog -> dialog.accept());
            page.locator("#alert-rules").getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions()
                    .setName("Delete")).click();
            assertThat(page.getByText("No rules yet.")).isVisible();
            assertThat(page.getByText("All quiet.")).isVisible();
        }
    }
}
