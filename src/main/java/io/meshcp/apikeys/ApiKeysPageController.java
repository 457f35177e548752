package io.meshcp.apikeys;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.Role;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.caller.TenantPrincipal;
import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The dashboard's API keys page. Everyone may see the list (never a key); owners and admins change it. */
@Controller
@DashboardPage
class ApiKeysPageController {

    private final ApiKeys apiKeys;

    private final Accounts accounts;

    private final Clock clock;

    ApiKeysPageController(ApiKeys apiKeys, Accounts accounts, Clock clock) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
        this.clock = clock;
    }

    @GetMapping("/keys")
    String list(Model model) {
        model.addAttribute("keys", apiKeys.list(Caller.tenantId()));
        model.addAttribute("defaultOrigins", String.join("\n", accounts.tenant(Caller.tenantId()).defaultAllowedOrigins()));
        return "apikeys/list";
    }

    @PostMapping("/keys")
    @PreAuthorize("hasRole('ADMIN')")
    String create(@RequestParam KeyKind kind, @RequestParam String name,
            @RequestParam(required = false) Role role, @RequestParam(defaultValue = "") String allowedOrigins,
            @RequestParam(required = false) Integer expiresInDays, HttpServletRequest request,
            RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > 3650)) {
                throw new InvalidInputException("expiresInDays", "must be between 1 and 3650 days");
            }
            Instant expiresAt = expiresInDays == null ? null : clock.instant().plus(Duration.ofDays(expiresInDays));
            // The form sends a role whatever the kind; a publishable key has none.
            Role keyRole = kind == KeyKind.SECRET ? role : null;
            IssuedKey issued = apiKeys.create(caller.tenantId(),
                    new NewKey(kind, name, Origins.split(allowedOrigins), expiresAt, keyRole), Actor.of(caller, request),
                    Role.highestOf(SecurityContextHolder.getContext().getAuthentication().getAuthorities()));
            redirect.addFlashAttribute("issued", issued);
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", "No key was created: " + e.describe());
            redirect.addFlashAttribute("typedKey", new KeyForm(kind, name, role, allowedOrigins, expiresInDays));
        }
        return "redirect:/keys";
    }

    /** The create form as it was sent, shown again when it is refused. */
    record KeyForm(KeyKind kind, String name, Role role, String allowedOrigins, Integer expiresInDays) {
    }

    @PostMapping("/keys/{id}/revoke")
    @PreAuthorize("hasRole('ADMIN')")
    String revoke(@PathVariable UUID id, HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        ApiKeyView revoked = apiKeys.revoke(caller.tenantId(), id, Actor.of(caller, request));
        redirect.addFlashAttribute("notice", "Key " + revoked.displayPrefix() + "… revoked.");
        return "redirect:/keys";
    }

    @PostMapping("/keys/{id}/rotate")
    @PreAuthorize("hasRole('ADMIN')")
    String rotate(@PathVariable UUID id, @RequestParam(defaultValue = "24") long graceHours,
            HttpServletRequest request, RedirectAttributes redirect) {
        TenantPrincipal caller = Caller.current();
        try {
            if (graceHours < 0 || graceHours > ApiKeys.MAX_ROTATION_GRACE.toHours()) {
                throw new InvalidInputException("graceHours", "must be between 0 and 720 hours");
            }
            IssuedKey issued = apiKeys.rotate(caller.tenantId(), id, Duration.ofHours(graceHours),
                    Actor.of(caller, request));
            redirect.addFlashAttribute("issued", issued);
            redirect.addFlashAttribute("notice", graceHours == 0 ? "Key rotated; the old key no longer works."
                    : "Key rotated; the old key keeps working for " + graceHours + " hours.");
        }
        catch (InvalidInputException e) {
            redirect.addFlashAttribute("error", e.field() + ": " + e.getMessage());
        }
        return "redirect:/keys";
    }
}
