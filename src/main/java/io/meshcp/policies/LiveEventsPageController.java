package io.meshcp.policies;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.Actor;
import io.meshcp.shared.Caller;
import io.meshcp.shared.ConflictException;
import io.meshcp.shared.InvalidInputException;
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

/** The ops schedule: live events by state, with what each stream's policy becomes inside the window. */
@Controller
class LiveEventsPageController {

    private final LiveEvents liveEvents;

    private final Streams streams;

    LiveEventsPageController(LiveEvents liveEvents, Streams streams) {
        this.liveEvents = liveEvents;
        this.streams = streams;
    }

    @GetMapping("/live-events")
    String schedule(Model model) {
        UUID tenantId = Caller.tenantId();
        model.addAttribute("active", liveEvents.list(tenantId, LiveEventState.ACTIVE, null, 0, 50).getContent());
        model.addAttribute("upcoming", liveEvents.list(tenantId, LiveEventState.UPCOMING, null, 0, 100).getContent());
        model.addAttribute("past", liveEvents.list(tenantId, LiveEventState.PAST, null, 0, 20).getContent());
        Map<UUID, String> streamNames = new HashMap<>();
        for (String list : List.of("active", "upcoming", "past")) {
            @SuppressWarnings("unchecked")
            List<LiveEventView> events = (List<LiveEventView>) model.getAttribute(list);
            events.forEach(event -> streamNames.computeIfAbsent(event.streamId(),
                    id -> streams.get(tenantId, id).name()));
        }
        model.addAttribute("streamNames", streamNames);
        return "policies/live-events";
    }

    @PostMapping("/live-events")
    @PreAuthorize("hasRole('OPS')")
    String schedule(@RequestParam String stream, @RequestParam String name, @RequestParam String startsAt,
            @RequestParam String endsAt, @RequestParam int latencyBudgetMs, HttpServletRequest request,
            RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        try {
            StreamView found = streams.findByExternalId(tenantId, stream.strip())
                    .orElseThrow(() -> new InvalidInputException("stream", "no stream has the external id " + stream));
            liveEvents.create(tenantId, new LiveEventRequest(found.id(), name, instant("startsAt", startsAt),
                    instant("endsAt", endsAt), budget(latencyBudgetMs)), Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Live event scheduled.");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.errors().stream().map(f -> f.field() + " " + f.message()).toList()
                    .toString());
        }
        catch (ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/live-events";
    }

    @PostMapping("/live-events/{id}/latency-budget")
    @PreAuthorize("hasRole('OPS')")
    String changeBudget(@PathVariable UUID id, @RequestParam int latencyBudgetMs, HttpServletRequest request,
            RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        LiveEventView event = liveEvents.get(tenantId, id);
        PolicyFields overrides = event.overrides();
        try {
            liveEvents.update(tenantId, id, new LiveEventRequest(event.streamId(), event.name(), event.startsAt(),
                    event.endsAt(), new PolicyFields(overrides.p2pEnabled(), latencyBudgetMs, overrides.maxPeers(),
                            overrides.uploadOnCellular(), overrides.minBatteryForUpload(),
                            overrides.uploadWhenCharging(), overrides.mobileDownloadOnly(), overrides.minSwarmSize(),
                            overrides.holdoutPercent())),
                    Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Latency budget of '" + event.name() + "' changed.");
        }
        catch (InvalidInputException | ConflictException e) {
            redirect.addFlashAttribute("error", e.getMessage());
        }
        return "redirect:/live-events";
    }

    @PostMapping("/live-events/{id}/cancel")
    @PreAuthorize("hasRole('OPS')")
    String cancel(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        LiveEventView cancelled = liveEvents.cancel(Caller.tenantId(), id, Actor.of(Caller.current(), request));
        redirect.addFlashAttribute("notice", "'" + cancelled.name() + "' cancelled.");
        return "redirect:/live-events";
    }

    private static PolicyFields budget(int latencyBudgetMs) {
        return new PolicyFields(null, latencyBudgetMs, null, null, null, null, null, null, null);
    }

    // The browser converts the viewer's local time to an ISO instant before submitting (app.js).
    private static Instant instant(String field, String text) {
        try {
            return Instant.parse(text);
        }
        catch (DateTimeParseException e) {
            throw new InvalidInputException(field, "must be a date and time");
        }
    }
}
