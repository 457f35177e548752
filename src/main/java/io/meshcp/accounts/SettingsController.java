package io.meshcp.accounts;

import java.math.BigDecimal;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.DashboardPage;
import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

@Controller
@DashboardPage
class SettingsController {

    private final Accounts accounts;

    SettingsController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/settings")
    String settings(@AuthenticationPrincipal MeshUser user, Model model) {
        TenantView tenant = accounts.tenant(user.tenantId());
        model.addAttribute("name", tenant.name());
        model.addAttribute("cdnPricePerGb", tenant.cdnPricePerGb().stripTrailingZeros().toPlainString());
        model.addAttribute("currency", tenant.currency());
        model.addAttribute("currencies", TenantSettings.COMMON_CURRENCIES);
        model.addAttribute("origins", String.join("\n", tenant.defaultAllowedOrigins()));
        model.addAttribute("retentionDays", tenant.telemetryRetentionDays());
        model.addAttribute("retentionChoices", TenantSettings.RETENTION_CHOICES);
        return "accounts/settings";
    }

    @PostMapping("/settings")
    @PreAuthorize("hasRole('ADMIN')")
    String save(@AuthenticationPrincipal MeshUser user, @RequestParam String name,
            @RequestParam String cdnPricePerGb, @RequestParam String currency,
            @RequestParam(defaultValue = "") String origins,
            @RequestParam int retentionDays, HttpServletRequest request, Model model, RedirectAttributes redirect) {
        try {
            accounts.updateSettings(user.tenantId(), new TenantSettings(name, price(cdnPricePerGb), currency,
                    Origins.split(origins), retentionDays), Actor.of(user, request));
        }
        catch (InvalidInputException e) {
            model.addAttribute("name", name);
            model.addAttribute("cdnPricePerGb", cdnPricePerGb);
            model.addAttribute("currency", currency);
            model.addAttribute("currencies", TenantSettings.COMMON_CURRENCIES);
            model.addAttribute("origins", origins);
            model.addAttribute("retentionDays", retentionDays);
            model.addAttribute("retentionChoices", TenantSettings.RETENTION_CHOICES);
            model.addAttribute("errorMessage", "Nothing was saved: " + e.describe());
            return "accounts/settings";
        }
        redirect.addFlashAttribute("notice", "Settings saved.");
        return "redirect:/settings";
    }

    private static BigDecimal price(String text) {
        try {
            return new BigDecimal(text.trim());
        }
        catch (NumberFormatException e) {
            throw new InvalidInputException("cdnPricePerGb", "must be a number such as 0.02");
        }
    }
}
