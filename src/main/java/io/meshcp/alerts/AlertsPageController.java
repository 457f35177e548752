package io.meshcp.alerts;

import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.TenantPrincipal;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.streams.Streams;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard's alerts page: alerts now, the rules, and what fired and resolved. */
@Controller
@DashboardPage
class AlertsPageController {

    private final Alerts alerts;

    private final Streams streams;

    AlertsPageController(Alerts alerts, Streams streams) {
        this.alerts = alerts;
        this.streams = streams;
    }

    @GetMapping("/alerts")
    String page(Model model) {
        UUID tenantId = Caller.tenantId();
        model.addAttribute("alerts", alerts.alerts(tenantId));
        model.addAttribute("rules", alerts.rules(tenantId));
        model.addAttribute("history", alerts.history(tenantId, 50));
        model.addAttribute("kinds", AlertKind.values());
        return "alerts/page";
    }

    @PostMapping("/alerts/rules")
    @PreAuthorize("hasRole('OPS')")
    String create(@RequestParam AlertKind kind, @RequestParam(defaultValue = "0") double thresholdPercent,
            @RequestParam int forMinutes, @RequestParam(defaultValue = "") String stream, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            UUID streamId = stream.isBlank() ? null : streams.findByExternalId(caller.tenantId(), stream.strip())
                    .orElseThrow(() -> new InvalidInputException("stream", "no stream has the external id " + stream))
                    .id();
            AlertRule rule = alerts.create(caller.tenantId(), new AlertRuleRequest(streamId, kind,
                    thresholdPercent / 100, forMinutes, true), Actor.of(caller, request));
            redirect.addFlashAttribute("notice", "Alert rule added: " + rule.description() + ".");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", "No rule was added: " + e.describe());
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", "No rule was added: " + e.getMessage());
        }
        return "redirect:/alerts";
    }

    @PostMapping("/alerts/rules/{id}/delete")
    @PreAuthorize("hasRole('OPS')")
    String delete(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        alerts.delete(caller.tenantId(), id, Actor.of(caller, request));
        redirect.addFlashAttribute("notice", "Alert rule deleted.");
        return "redirect:/alerts";
    }
}
