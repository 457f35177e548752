package io.meshcp.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** Pages of the dashboard frame whose content arrives with later modules; each says what will appear. */
@Controller
class DashboardController {

    @GetMapping("/")
    String overview() {
        return "dashboard/overview";
    }

    @GetMapping("/analytics")
    String analytics() {
        return "dashboard/analytics";
    }

    @GetMapping("/integration")
    String integration() {
        return "dashboard/integration";
    }
}
