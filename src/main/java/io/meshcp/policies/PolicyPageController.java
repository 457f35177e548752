package io.meshcp.policies;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.VersionMismatchException;
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
@DashboardPage
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
            PolicyFields fields = PolicyForm.parse(form);
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
                redirect.addFlashAttribute("typedReason", reason);
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
        List<PolicyForm.Row> rows = PolicyForm.rows(document.policy().toMap(),
                document.effective().values().toMap(), document.effective(), typed, errors);
        UUID tenantId = Caller.tenantId();
        model.addAttribute("streamId", streamId);
        model.addAttribute("base", streamId == null ? "" : "/streams/" + streamId);
        model.addAttribute("document", document);
        model.addAttribute("rows", rows);
        model.addAttribute("history", policies.history(tenantId, streamId));
        model.addAttribute("ownKillSwitch", policies.killSwitches(tenantId).stream()
                .anyMatch(k -> streamId == null ? k.streamId() == null : streamId.equals(k.streamId())));
    }
}
