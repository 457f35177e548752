package io.meshcp.policies;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.problems.ConflictException;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.streams.StreamView;
import io.meshcp.streams.Streams;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The ops schedule: live events by state, with what each stream's policy becomes inside the window. An event is
 * scheduled for a stream picked from a list (searched by name) and may override any policy field; a refused form
 * comes back with what was typed and each problem beside its field.
 */
@Controller
@DashboardPage
class LiveEventsPageController {

    /** Streams offered by the picker; an organisation with more types the external id or a name. */
    private static final int STREAMS_OFFERED = 500;

    private final LiveEvents liveEvents;

    private final Streams streams;

    LiveEventsPageController(LiveEvents liveEvents, Streams streams) {
        this.liveEvents = liveEvents;
        this.streams = streams;
    }

    /** What the event form shows: the stream as typed (external id or name), the name, and the window's instants. */
    record EventForm(String stream, String name, String startsAt, String endsAt) {

        static EventForm of(MultiValueMap<String, String> form) {
            return new EventForm(text(form, "stream"), text(form, "name"), text(form, "startsAt"),
                    text(form, "endsAt"));
        }

        private static String text(MultiValueMap<String, String> form, String name) {
            String value = form.getFirst(name);
            return value == null ? "" : value;
        }
    }

    @GetMapping("/live-events")
    String schedule(Model model) {
        fillSchedule(model);
        fillForm(model, new EventForm("", "", "", ""), Map.of(PolicyField.LATENCY_BUDGET_MS, 2000), null, List.of());
        return "policies/live-events";
    }

    @PostMapping("/live-events")
    @PreAuthorize("hasRole('OPS')")
    String schedule(@RequestParam MultiValueMap<String, String> form, HttpServletRequest request,
            HttpServletResponse response, Model model, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        try {
            LiveEventView created = liveEvents.create(tenantId, read(tenantId, form, null),
                    Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "'" + created.name() + "' scheduled.");
            return "redirect:/live-events";
        }
        catch (InvalidInputException | ConflictException e) {
            response.setStatus(refused(model, e));
            fillSchedule(model);
            fillForm(model, EventForm.of(form), Map.of(), form, errors(e));
            return "policies/live-events";
        }
    }

    @GetMapping("/live-events/{id}")
    String edit(@PathVariable UUID id, Model model) {
        LiveEventView event = liveEvents.get(Caller.tenantId(), id);
        fillEdit(model, event);
        fillForm(model, new EventForm(streams.get(Caller.tenantId(), event.streamId()).externalId(), event.name(),
                event.startsAt().toString(), event.endsAt().toString()), event.overrides().toMap(), null, List.of());
        return "policies/live-event";
    }

    @PostMapping("/live-events/{id}")
    @PreAuthorize("hasRole('OPS')")
    String update(@PathVariable UUID id, @RequestParam MultiValueMap<String, String> form, HttpServletRequest request,
            HttpServletResponse response, Model model, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        LiveEventView event = liveEvents.get(tenantId, id);
        try {
            LiveEventView saved = liveEvents.update(tenantId, id, read(tenantId, form, event.streamId()),
                    Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "'" + saved.name() + "' changed.");
            return "redirect:/live-events";
        }
        catch (InvalidInputException | ConflictException e) {
            response.setStatus(refused(model, e));
            fillEdit(model, event);
            fillForm(model, EventForm.of(form), Map.of(), form, errors(e));
            return "policies/live-event";
        }
    }

    /** The schedule's quick change of an event's latency budget, its other overrides kept. */
    @PostMapping("/live-events/{id}/latency-budget")
    @PreAuthorize("hasRole('OPS')")
    String changeBudget(@PathVariable UUID id, @RequestParam String latencyBudgetMs, HttpServletRequest request,
            RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        LiveEventView event = liveEvents.get(tenantId, id);
        PolicyFields overrides = event.overrides();
        try {
            int budget = parseBudget(latencyBudgetMs);
            liveEvents.update(tenantId, id, new LiveEventRequest(event.streamId(), event.name(), event.startsAt(),
                    event.endsAt(), new PolicyFields(overrides.p2pEnabled(), budget, overrides.maxPeers(),
                            overrides.uploadOnCellular(), overrides.minBatteryForUpload(),
                            overrides.uploadWhenCharging(), overrides.mobileDownloadOnly(), overrides.minSwarmSize(),
                            overrides.holdoutPercent())),
                    Actor.of(Caller.current(), request));
            redirect.addFlashAttribute("notice", "Latency budget of '" + event.name() + "' changed.");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", "The latency budget of '" + event.name() + "' was not changed: "
                    + describe(e.errors()));
        }
        catch (ConflictException e) {
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

    private void fillSchedule(Model model) {
        UUID tenantId = Caller.tenantId();
        Map<String, List<LiveEventView>> sections = new LinkedHashMap<>();
        sections.put("active", liveEvents.list(tenantId, LiveEventState.ACTIVE, null, 0, 50).getContent());
        sections.put("upcoming", liveEvents.list(tenantId, LiveEventState.UPCOMING, null, 0, 100).getContent());
        sections.put("past", liveEvents.list(tenantId, LiveEventState.PAST, null, 0, 20).getContent());
        Map<UUID, String> streamNames = new HashMap<>();
        Map<UUID, List<String>> overrides = new HashMap<>();
        sections.values().forEach(events -> events.forEach(event -> {
            streamNames.computeIfAbsent(event.streamId(), id -> streams.get(tenantId, id).name());
            overrides.put(event.id(), PolicyForm.describe(event.overrides()));
        }));
        sections.forEach(model::addAttribute);
        model.addAttribute("streamNames", streamNames);
        model.addAttribute("overrides", overrides);
    }

    private void fillEdit(Model model, LiveEventView event) {
        model.addAttribute("event", event);
        model.addAttribute("streamName", streams.get(Caller.tenantId(), event.streamId()).name());
    }

    private void fillForm(Model model, EventForm typed, Map<PolicyField, Object> set,
            MultiValueMap<String, String> typedFields, List<FieldError> errors) {
        Map<String, String> fieldErrors = new HashMap<>();
        errors.forEach(error -> fieldErrors.merge(error.field(), error.message(), (a, b) -> a + "; " + b));
        model.addAttribute("typed", typed);
        model.addAttribute("fieldErrors", fieldErrors);
        model.addAttribute("rows", PolicyForm.rows(set, PolicyForm.platformDefaults(), null, typedFields, errors));
        model.addAttribute("streamOptions", streams.list(Caller.tenantId(), null, false, 0, STREAMS_OFFERED)
                .getContent());
    }

    /**
     * The request the form describes; every problem found here (stream, times, field values) is reported together
     * with those the schedule finds, so that one refusal names them all.
     */
    private LiveEventRequest read(UUID tenantId, MultiValueMap<String, String> form, UUID fixedStream) {
        List<FieldError> errors = new ArrayList<>();
        UUID streamId = fixedStream;
        if (streamId == null) {
            String typed = form.getFirst("stream") == null ? "" : form.getFirst("stream").strip();
            StreamView found = typed.isEmpty() ? null : resolveStream(tenantId, typed);
            if (found == null) {
                errors.add(new FieldError("stream", typed.isEmpty() ? "pick a stream"
                        : "no stream of yours has the external id or name '" + typed + "'"));
            }
            else {
                streamId = found.id();
            }
        }
        Instant startsAt = instant(form.getFirst("startsAt"), "startsAt", errors);
        Instant endsAt = instant(form.getFirst("endsAt"), "endsAt", errors);
        PolicyFields overrides = null;
        boolean unreadable = false;
        try {
            overrides = PolicyForm.parse(form);
        }
        catch (InvalidInputException e) {
            errors.addAll(e.errors());
            unreadable = true;
        }
        LiveEventRequest request = new LiveEventRequest(streamId, form.getFirst("name"), startsAt, endsAt, overrides);
        if (!errors.isEmpty()) {
            // The schedule's own checks of what could be read, so that one refusal names every problem.
            boolean fieldsUnreadable = unreadable;
            errors.addAll(liveEvents.problems(request).stream()
                    .filter(problem -> errors.stream().noneMatch(e -> e.field().equals(problem.field())))
                    .filter(problem -> !problem.field().equals("streamId"))
                    .filter(problem -> !(fieldsUnreadable && problem.field().equals("overrides"))).toList());
            throw new InvalidInputException(errors);
        }
        return request;
    }

    private StreamView resolveStream(UUID tenantId, String typed) {
        return streams.findByExternalId(tenantId, typed).filter(stream -> !stream.archived())
                .or(() -> {
                    List<StreamView> named = streams.list(tenantId, typed, false, 0, 20).getContent().stream()
                            .filter(stream -> stream.name().equalsIgnoreCase(typed)).toList();
                    return named.size() == 1 ? Optional.of(named.getFirst()) : Optional.empty();
                }).orElse(null);
    }

    // The browser converts the viewer's local time to an ISO instant before submitting (app.js).
    private static Instant instant(String text, String field, List<FieldError> errors) {
        if (text == null || text.isBlank()) {
            errors.add(new FieldError(field, "is required"));
            return null;
        }
        try {
            return Instant.parse(text);
        }
        catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a date and time"));
            return null;
        }
    }

    private static int parseBudget(String text) {
        try {
            return Integer.parseInt(text.strip());
        }
        catch (NumberFormatException e) {
            throw new InvalidInputException("latencyBudgetMs", "must be a whole number of milliseconds");
        }
    }

    private static int refused(Model model, RuntimeException e) {
        if (e instanceof InvalidInputException invalid) {
            int count = invalid.errors().size();
            model.addAttribute("error", "Nothing was saved: " + count + (count == 1 ? " value needs" : " values need")
                    + " fixing, marked below.");
            return HttpStatus.UNPROCESSABLE_CONTENT.value();
        }
        model.addAttribute("error", "Nothing was saved: " + e.getMessage());
        return HttpStatus.CONFLICT.value();
    }

    private static List<FieldError> errors(RuntimeException e) {
        return e instanceof InvalidInputException invalid ? invalid.errors() : List.of();
    }

    private static String describe(List<FieldError> errors) {
        return String.join("; ", errors.stream().map(FieldError::message).toList()) + ".";
    }
}
