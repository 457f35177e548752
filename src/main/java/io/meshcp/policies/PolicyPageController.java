package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.shared.Actor;
import io.meshcp.shared.Caller;
import io.meshcp.shared.FieldError;
import io.meshcp.shared.InvalidInputException;
import io.meshcp.shared.VersionMismatchException;
import jakarta.servlet.http.HttpServletRequest;
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
 * The policy editor: the tenant default at /policy, and each stream's override as a fragment of the
 * stream page. Shows every field's effective value and its level, lets OPS and above override or
 * inherit each field, lists versions with diffs and restores them, and holds the kill switches.
 */
@Controller
class PolicyPageController {

    private final Policies policies;

    private final Clock clock;

    PolicyPageController(Policies policies, Clock clock) {
        this.policies = policies;
        this.clock = clock;
    }

    @GetMapping("/policy")
    String tenantPage(Model model) {
        fill(model, null, policies.tenantPolicy(Caller.tenantId()));
        return "policies/tenant";
    }

    @GetMapping("/streams/{streamId}/policy")
    String streamFragment(@PathVariable UUID streamId, Model model) {
        fill(model, streamId, policies.streamPolicy(Caller.tenantId(), streamId));
        return "policies/editor :: editor";
    }

    @PostMapping({"/policy", "/streams/{streamId}/policy"})
    @PreAuthorize("hasRole('OPS')")
    String save(@PathVariable(required = false) UUID streamId, @RequestParam int version,
            @RequestParam MultiValueMap<String, String> form, HttpServletRequest request, Model model) {
        UUID tenantId = Caller.tenantId();
        Actor actor = Actor.of(Caller.current(), request);
        try {
            PolicyFields fields = parse(form);
            PolicyDocument saved = streamId == null
                    ? policies.replaceTenantPolicy(tenantId, fields, PolicyDocument.etag(version), actor)
                    : policies.replaceStreamPolicy(tenantId, streamId, fields, PolicyDocument.etag(version), actor);
            if (saved.version() == version) {
                model.addAttribute("error", "Nothing changed, so no new version was saved.");
            }
            else {
                model.addAttribute("notice", "Saved as version " + saved.version() + ".");
            }
            fill(model, streamId, saved);
        }
        catch (VersionMismatchException e) {
            model.addAttribute("error", "Someone else saved this policy first (now " + e.current().replace("\"", "")
                    + "). Below is what is in force now; reapply your change.");
            fill(model, streamId, current(tenantId, streamId));
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", "Nothing was saved: " + e.errors().size()
                    + (e.errors().size() == 1 ? " value needs" : " values need") + " fixing, marked below.");
            fill(model, streamId, current(tenantId, streamId), form, e.errors());
        }
        return "policies/editor :: editor";
    }

    @PostMapping({"/policy/versions/{restore}/restore", "/streams/{streamId}/policy/versions/{restore}/restore"})
    @PreAuthorize("hasRole('OPS')")
    String restore(@PathVariable(required = false) UUID streamId, @PathVariable int restore,
            @RequestParam int version, HttpServletRequest request, Model model) {
        UUID tenantId = Caller.tenantId();
        try {
            PolicyDocument saved = policies.restore(tenantId, streamId, restore, PolicyDocument.etag(version),
                    Actor.of(Caller.current(), request));
            if (saved.version() == version) {
                model.addAttribute("error", "Version " + restore + " is what is in force already; nothing was saved.");
            }
            else {
                model.addAttribute("notice", "Version " + restore + " restored as version " + saved.version() + ".");
            }
            fill(model, streamId, saved);
        }
        catch (VersionMismatchException e) {
            model.addAttribute("error", "Someone else saved this policy first; nothing was restored.");
            fill(model, streamId, current(tenantId, streamId));
        }
        return "policies/editor :: editor";
    }

    @PostMapping({"/kill-switch", "/streams/{streamId}/kill-switch"})
    @PreAuthorize("hasRole('OPS')")
    String killSwitch(@PathVariable(required = false) UUID streamId, @RequestParam boolean engaged,
            @RequestParam(required = false) String reason, @RequestParam(required = false) String releaseAfter,
            HttpServletRequest request, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        Actor actor = Actor.of(Caller.current(), request);
        // A whole page, not a fragment: the banner on every page must show the change at once.
        String page = streamId == null ? "redirect:/policy" : "redirect:/streams/" + streamId;
        if (engaged && streamId == null && (reason == null || reason.isBlank())) {
            redirect.addFlashAttribute("error", "Say why p2p goes off for every stream: the whole team sees the "
                    + "reason on every page until the switch is released.");
            return page;
        }
        Duration after;
        try {
            after = releaseAfter == null || releaseAfter.isBlank() ? null : Duration.parse(releaseAfter);
        }
        catch (DateTimeParseException e) {
            redirect.addFlashAttribute("error", "Pick when the switch releases itself from the list.");
            return page;
        }
        if (engaged) {
            try {
                policies.engageKillSwitch(tenantId, streamId, reason, after == null ? null : clock.instant().plus(after),
                        actor);
            }
            catch (InvalidInputException e) {
                redirect.addFlashAttribute("error", "Not engaged: " + e.errors().stream()
                        .map(f -> f.field() + " " + f.message()).reduce((a, b) -> a + "; " + b).orElse(""));
                return page;
            }
        }
        else {
            policies.releaseKillSwitch(tenantId, streamId, actor);
        }
        redirect.addFlashAttribute("notice", engaged ? "Kill switch engaged: p2p is off." : "Kill switch released.");
        return page;
    }

    private PolicyDocument current(UUID tenantId, UUID streamId) {
        return streamId == null ? policies.tenantPolicy(tenantId) : policies.streamPolicy(tenantId, streamId);
    }

    private void fill(Model model, UUID streamId, PolicyDocument document) {
        fill(model, streamId, document, null, List.of());
    }

    /**
     * The editor for {@code document}; after a refused save, {@code typed} is the form as sent, so that what the user
     * typed stays in its field with the reason beside it.
     */
    private void fill(Model model, UUID streamId, PolicyDocument document, MultiValueMap<String, String> typed,
            List<FieldError> errors) {
        Map<PolicyField, Object> set = document.policy().toMap();
        Map<PolicyField, Object> effective = document.effective().values().toMap();
        List<EditorRow> rows = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            String name = field.jsonName();
            boolean overridden = typed == null ? set.get(field) != null : typed.getFirst("set." + name) != null;
            Object shown = typed != null && typed.getFirst("value." + name) != null ? typed.getFirst("value." + name)
                    : set.get(field) != null ? set.get(field) : effective.get(field);
            String error = errors.stream().filter(e -> e.field().equals(name)).map(FieldError::message).findFirst()
                    .orElse(null);
            rows.add(new EditorRow(name, LABELS.get(field)[0], LABELS.get(field)[1], field.range(),
                    field.platformDefault() instanceof Boolean, overridden, String.valueOf(shown),
                    effective.get(field), document.effective().sources().get(name), error));
        }
        UUID tenantId = Caller.tenantId();
        model.addAttribute("streamId", streamId);
        model.addAttribute("base", streamId == null ? "" : "/streams/" + streamId);
        model.addAttribute("document", document);
        model.addAttribute("rows", rows);
        model.addAttribute("history", policies.history(tenantId, streamId));
        model.addAttribute("ownKillSwitch", policies.killSwitches(tenantId).stream()
                .anyMatch(k -> streamId == null ? k.streamId() == null : streamId.equals(k.streamId())));
    }

    private static PolicyFields parse(MultiValueMap<String, String> form) {
        Map<PolicyField, Object> values = new EnumMap<>(PolicyField.class);
        List<FieldError> errors = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            if (form.getFirst("set." + field.jsonName()) == null) {
                continue;
            }
            String text = form.getFirst("value." + field.jsonName());
            try {
                values.put(field, switch (field.platformDefault()) {
                    case Boolean b -> Boolean.valueOf(text);
                    case Integer i -> Integer.valueOf(text.strip());
                    default -> Double.valueOf(text.strip());
                });
            }
            catch (NumberFormatException | NullPointerException e) {
                errors.add(new FieldError(field.jsonName(), "must be a number"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return PolicyFields.of(values);
    }

    /**
     * One field in the editor: its API name, a label with its unit and a line of explanation, whether this level
     * sets it, the value shown in its input, what is in force and from where, and why a save refused it.
     */
    record EditorRow(String name, String label, String help, String range, boolean flag, boolean overridden,
            String shown, Object effective, PolicyLevel source, String error) {
    }

    // What ops staff read; the API's names stay in the API (and in small print beside each label).
    private static final Map<PolicyField, String[]> LABELS = Map.ofEntries(
            Map.entry(PolicyField.P2P_ENABLED, new String[] {"Peer-to-peer delivery",
                    "Off: every viewer loads every segment from the CDN."}),
            Map.entry(PolicyField.LATENCY_BUDGET_MS, new String[] {"Latency budget (ms)",
                    "How far behind the live edge a player may sit so that peers can share segments."}),
            Map.entry(PolicyField.MAX_PEERS_DESKTOP, new String[] {"Peers per desktop viewer",
                    "Connections a desktop browser keeps to other viewers (at most 12)."}),
            Map.entry(PolicyField.MAX_PEERS_MOBILE, new String[] {"Peers per mobile viewer",
                    "Connections a phone keeps; fewer save battery."}),
            Map.entry(PolicyField.MAX_PEERS_TV, new String[] {"Peers per TV viewer",
                    "Connections a TV or set-top box keeps."}),
            Map.entry(PolicyField.UPLOAD_ON_CELLULAR, new String[] {"Upload on cellular",
                    "Whether phones on mobile data send segments to others (it costs their data plan)."}),
            Map.entry(PolicyField.MIN_BATTERY_FOR_UPLOAD, new String[] {"Minimum battery to upload (0-1)",
                    "Below this charge level an unplugged device stops sending segments, e.g. 0.3 for 30%."}),
            Map.entry(PolicyField.UPLOAD_WHEN_CHARGING, new String[] {"Upload while charging",
                    "A plugged-in device sends segments whatever its battery level."}),
            Map.entry(PolicyField.MOBILE_DOWNLOAD_ONLY, new String[] {"Mobile viewers only download",
                    "Phones take segments from peers but never send any."}),
            Map.entry(PolicyField.MIN_SWARM_SIZE, new String[] {"Minimum viewers for p2p",
                    "Below this many viewers of a stream, nobody connects to peers."}),
            Map.entry(PolicyField.HOLDOUT_PERCENT, new String[] {"Holdout (% of viewers)",
                    "Viewers kept on the CDN only, to measure what p2p saves and costs against them."}));
}
