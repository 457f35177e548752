package io.meshcp.analytics;

import io.meshcp.shared.caller.DashboardPage;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The analytics page and the battery and quality page. The browser asks {@link AnalyticsPageDataController}
 * for their data as JSON in its own time zone and draws the charts (Chart.js), so times show in the viewer's
 * zone and days begin at the viewer's midnight.
 */
@Controller
@DashboardPage
class AnalyticsPageController {

    @GetMapping("/analytics")
    String page() {
        return "analytics/page";
    }

    @GetMapping("/analytics/quality")
    String qualityPage(Model model) {
        model.addAttribute("minSessions", CohortDifference.MIN_SESSIONS);
        return "analytics/quality";
    }
}
