package io.meshcp.alerts;

import java.util.List;

import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.Source;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** The firing alerts every dashboard page shows, the overview first of all: one small query per page. */
@ControllerAdvice(annotations = DashboardPage.class)
class AlertsBanner {

    private final Alerts alerts;

    AlertsBanner(Alerts alerts) {
        this.alerts = alerts;
    }

    @ModelAttribute("alertsFiring")
    List<Alert> alertsFiring(HttpServletRequest request) {
        if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) != null
                || request.getHeader("HX-Request") != null) {
            return List.of();
        }
        return Caller.find().filter(caller -> caller.source() == Source.DASHBOARD)
                .map(caller -> alerts.alerts(caller.tenantId()).stream()
                        .filter(alert -> alert.state().equals("FIRING")).toList())
                .orElse(List.of());
    }
}
