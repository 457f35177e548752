package io.meshcp.policies;

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

    PolicyPageController(Policies policies) {
        this.policies = policies;
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
            model.addAttribute("notice", "Saved as version " + saved.version() + ".");
            fill(model, streamId, saved);
        }
        catch (VersionMismatchException e) {
            model.addAttribute("error", "Someone else saved this policy first (now " + e.current().replace("\"", "")
                    + "). Below is what is in force now; reapply your change.");
            fill(model, streamId, current(tenantId, streamId));
        }
        catch (InvalidInputException e) {
            model.addAttribute("error", e.errors().stream().map(f -> f.field() + " " + f.message()).toList()
                    .toString());
            fill(model, streamId, current(tenantId, streamId));
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
            model.addAttribute("notice", "Version " + restore + " restored as version " + saved.version() + ".");
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
            @RequestParam(required = false) String reason, HttpServletRequest request, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        Actor actor = Actor.of(Caller.current(), request);
        // A whole page, not a fragment: the banner on every page must show the change at once.
        String page = streamId == null ? "redirect:/policy" : "redirect:/streams/" + streamId;
        if (engaged && streamId == null && (reason == null || reason.isBlank())) {
            redirect.addFlashAttribute("error", "Say why p2p goes off for every stream: the whole team sees the "
                    + "reason on every page until the switch is released.");
            return page;
        }
        if (engaged) {
            policies.engageKillSwitch(tenantId, streamId, reason, actor);
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
        Map<PolicyField, Object> set = document.policy().toMap();
        Map<PolicyField, Object> effective = document.effective().values().toMap();
        List<EditorRow> rows = new ArrayList<>();
        for (PolicyField field : PolicyField.values()) {
            rows.add(new EditorRow(field.jsonName(), field.range(), field.platformDefault() instanceof Boolean,
                    set.get(field), effective.get(field), document.effective().sources().get(field.jsonName())));
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

    /** One field in the editor: what this level sets (null: inherits) and what is in force, from where. */
    record EditorRow(String name, String range, boolean flag, Object set, Object effective, PolicyLevel source) {
    }
}
