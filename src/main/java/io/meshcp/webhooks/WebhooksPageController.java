package io.meshcp.webhooks;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.TenantPrincipal;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard's webhooks pages, for admins: endpoints, their secrets once, and each endpoint's delivery log. */
@Controller
@DashboardPage
@PreAuthorize("hasRole('ADMIN')")
class WebhooksPageController {

    private final Webhooks webhooks;

    WebhooksPageController(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** The create form as it was sent, shown again when it is refused. */
    record EndpointForm(String url, String description, List<String> events) {
    }

    @GetMapping("/webhooks")
    String list(Model model) {
        model.addAttribute("endpoints", webhooks.list(Caller.tenantId()));
        model.addAttribute("eventTypes", Arrays.stream(WebhookEventType.values())
                .filter(WebhookEventType::subscribable).toList());
        return "webhooks/list";
    }

    @PostMapping("/webhooks")
    String create(@RequestParam String url, @RequestParam(defaultValue = "") String description,
            @RequestParam(required = false) List<String> events, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        List<String> wanted = events == null ? List.of() : events;
        try {
            IssuedEndpoint issued = webhooks.create(caller.tenantId(), new EndpointRequest(url, description, wanted,
                    true), Actor.of(caller, request));
            redirect.addFlashAttribute("issued", issued);
        }
        catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", "No endpoint was added: " + message(e));
            redirect.addFlashAttribute("typed", new EndpointForm(url, description, wanted));
        }
        return "redirect:/webhooks";
    }

    @GetMapping("/webhooks/{id}")
    String deliveries(@PathVariable UUID id, @RequestParam(required = false) Long before, Model model) {
        UUID tenantId = Caller.tenantId();
        List<DeliveryView> deliveries = webhooks.deliveries(tenantId, id, before, 50);
        model.addAttribute("endpoint", webhooks.get(tenantId, id));
        model.addAttribute("deliveries", deliveries);
        model.addAttribute("older", deliveries.size() == 50 ? deliveries.getLast().id() : null);
        model.addAttribute("eventTypes", Arrays.stream(WebhookEventType.values())
                .filter(WebhookEventType::subscribable).toList());
        return "webhooks/deliveries";
    }

    @PostMapping("/webhooks/{id}")
    String update(@PathVariable UUID id, @RequestParam String url, @RequestParam(defaultValue = "") String description,
            @RequestParam(required = false) List<String> events, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        EndpointView endpoint = webhooks.get(caller.tenantId(), id);
        try {
            webhooks.update(caller.tenantId(), id, new EndpointRequest(url, description,
                    events == null ? List.of() : events, endpoint.enabled()), Actor.of(caller, request));
            redirect.addFlashAttribute("notice", "Endpoint saved.");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", "Nothing was changed: " + e.describe());
        }
        return "redirect:/webhooks/" + id;
    }

    @PostMapping("/webhooks/{id}/enabled")
    String setEnabled(@PathVariable UUID id, @RequestParam boolean enabled, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        EndpointView endpoint = webhooks.get(caller.tenantId(), id);
        webhooks.update(caller.tenantId(), id, new EndpointRequest(endpoint.url(), endpoint.description(),
                endpoint.events(), enabled), Actor.of(caller, request));
        redirect.addFlashAttribute("notice", (enabled ? "Deliveries to " : "No more deliveries to ") + endpoint.url()
                + (enabled ? " start again." : "."));
        return "redirect:/webhooks";
    }

    @PostMapping("/webhooks/{id}/rotate-secret")
    String rotate(@PathVariable UUID id, @RequestParam(defaultValue = "24") long overlapHours,
            HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            IssuedEndpoint issued = webhooks.rotateSecret(caller.tenantId(), id, Duration.ofHours(overlapHours),
                    Actor.of(caller, request));
            redirect.addFlashAttribute("issued", issued);
            redirect.addFlashAttribute("notice", overlapHours == 0 ? "Secret rotated; deliveries are signed with the "
                    + "new secret only." : "Secret rotated; deliveries carry a signature with the old secret as well "
                    + "for " + overlapHours + " hours.");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", message(e));
        }
        return "redirect:/webhooks";
    }

    @PostMapping("/webhooks/{id}/test")
    String test(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            webhooks.sendTestEvent(caller.tenantId(), id, Actor.of(caller, request));
            redirect.addFlashAttribute("notice", "A test event is on its way; its delivery shows below within seconds.");
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/webhooks/" + id;
    }

    @PostMapping("/webhooks/{id}/deliveries/{deliveryId}/redeliver")
    String redeliver(@PathVariable UUID id, @PathVariable long deliveryId, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            webhooks.redeliver(caller.tenantId(), id, deliveryId, Actor.of(caller, request));
            redirect.addFlashAttribute("notice", "Sent again; the new delivery shows below within seconds.");
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/webhooks/" + id;
    }

    @PostMapping("/webhooks/{id}/delete")
    String delete(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        EndpointView endpoint = webhooks.get(caller.tenantId(), id);
        webhooks.delete(caller.tenantId(), id, Actor.of(caller, request));
        redirect.addFlashAttribute("notice", "Endpoint " + endpoint.url() + " deleted.");
        return "redirect:/webhooks";
    }

    private static String message(RuntimeException e) {
        return e instanceof InvalidInputException invalid ? invalid.describe() : e.getMessage();
    }
}
