package io.meshcp.dashboard;

import java.util.UUID;

import io.meshcp.accounts.Accounts;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.Actor;
import io.meshcp.shared.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Pages of the dashboard frame whose content arrives with later modules; each says what will appear. */
@Controller
class DashboardController {

    private final ApiKeys apiKeys;

    private final Accounts accounts;

    DashboardController(ApiKeys apiKeys, Accounts accounts) {
        this.apiKeys = apiKeys;
        this.accounts = accounts;
    }

    @GetMapping("/")
    String overview() {
        return "dashboard/overview";
    }

    @GetMapping("/analytics")
    String analytics() {
        return "dashboard/analytics";
    }

    @GetMapping("/integration")
    String integration(Model model) {
        model.addAttribute("baseUrl", ServletUriComponentsBuilder.fromCurrentContextPath().toUriString());
        model.addAttribute("publishableKeys", apiKeys.list(Caller.tenantId()).stream()
                .filter(key -> key.kind() == KeyKind.PUBLISHABLE && key.active()).toList());
        return "dashboard/integration";
    }

    /** Creates a publishable key for the snippets and shows it once, filled in. */
    @PostMapping("/integration/key")
    @PreAuthorize("hasRole('ADMIN')")
    String createKey(HttpServletRequest request, RedirectAttributes redirect) {
        UUID tenantId = Caller.tenantId();
        IssuedKey issued = apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "web player",
                accounts.tenant(tenantId).defaultAllowedOrigins(), null), Actor.of(Caller.current(), request));
        redirect.addFlashAttribute("issuedKey", issued.key());
        return "redirect:/integration";
    }
}
