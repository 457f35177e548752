package io.meshcp.guard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.TenantPrincipal;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.streams.StreamView;
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

/** The dashboard's auto-guard page: the organisation's settings and what the guard did, with its evidence. */
@Controller
@DashboardPage
class AutoGuardPageController {

    private final AutoGuard guard;

    private final Streams streams;

    AutoGuardPageController(AutoGuard guard, Streams streams) {
        this.guard = guard;
        this.streams = streams;
    }

    @GetMapping("/auto-guard")
    String page(Model model) {
        UUID tenantId = Caller.tenantId();
        List<GuardAction> actions = guard.actions(tenantId, 50);
        Map<UUID, String> names = new LinkedHashMap<>();
        actions.forEach(action -> names.computeIfAbsent(action.streamId(), id -> streams.findById(tenantId, id)
                .map(StreamView::name).orElse("a removed stream")));
        if (!model.containsAttribute("settings")) {
            model.addAttribute("settings", guard.settings(tenantId, null).orElse(GuardSettings.DEFAULT));
        }
        Map<UUID, GuardSettings> own = guard.streamSettings(tenantId);
        own.keySet().forEach(id -> names.computeIfAbsent(id, stream -> streams.findById(tenantId, stream)
                .map(StreamView::name).orElse("a removed stream")));
        model.addAttribute("actions", actions);
        model.addAttribute("streamSettings", own);
        model.addAttribute("streamNames", names);
        return "guard/page";
    }

    /**
     * The organisation's settings, or with {@code stream} (an external id) that stream's own. The page speaks in
     * percentage points of watch time; the API in ratios.
     */
    @PostMapping("/auto-guard")
    @PreAuthorize("hasRole('OPS')")
    String save(@RequestParam(defaultValue = "") String stream, @RequestParam(defaultValue = "false") boolean enabled,
            @RequestParam double marginPoints, @RequestParam int windowMinutes, @RequestParam int minSessions,
            @RequestParam(required = false) Integer releaseAfterMinutes, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        GuardSettings settings = new GuardSettings(enabled, marginPoints / 100, windowMinutes, minSessions,
                releaseAfterMinutes);
        try {
            if (stream.isBlank()) {
                guard.replace(caller.tenantId(), null, settings, Actor.of(caller, request));
                redirect.addFlashAttribute("notice", enabled ? "The auto-guard watches every stream without settings "
                        + "of its own." : "The auto-guard is off for streams without settings of their own.");
            }
            else {
                StreamView found = streams.findByExternalId(caller.tenantId(), stream.strip()).orElseThrow(
                        () -> new InvalidInputException("stream", "no stream has the external id " + stream.strip()));
                guard.replace(caller.tenantId(), found.id(), settings, Actor.of(caller, request));
                redirect.addFlashAttribute("notice", found.name() + " has auto-guard settings of its own: "
                        + (enabled ? "watched." : "not watched."));
            }
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", "Nothing was changed: " + e.describe());
            if (stream.isBlank()) {
                redirect.addFlashAttribute("settings", settings);
            }
        }
        return "redirect:/auto-guard";
    }

    @PostMapping("/auto-guard/streams/{streamId}/inherit")
    @PreAuthorize("hasRole('OPS')")
    String inherit(@PathVariable UUID streamId, HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        guard.inherit(caller.tenantId(), streamId, Actor.of(caller, request));
        redirect.addFlashAttribute("notice", "The stream follows the organisation's auto-guard settings again.");
        return "redirect:/auto-guard";
    }
}
