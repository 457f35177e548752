package io.meshcp.accounts;

import java.math.BigDecimal;
import java.util.List;

import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.caller.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Tenant")
class TenantApiController {

    private final Accounts accounts;

    TenantApiController(Accounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/api/v1/tenant")
    @Operation(summary = "The tenant the secret key belongs to")
    TenantView getTenant() {
        return accounts.tenant(Caller.tenantId());
    }

    @PatchMapping("/api/v1/tenant")
    @Operation(summary = "Change the organisation's settings",
            description = "The same settings as the dashboard's Settings page, audited the same way "
                    + "(TENANT_SETTINGS_CHANGED, from the API). Fields left out keep their values.")
    TenantView updateTenant(@RequestBody TenantSettingsChange change, HttpServletRequest http) {
        TenantView current = accounts.tenant(Caller.tenantId());
        return accounts.updateSettings(current.id(), new TenantSettings(
                change.name() == null ? current.name() : change.name(),
                change.cdnPricePerGb() == null ? current.cdnPricePerGb() : change.cdnPricePerGb(),
                change.currency() == null ? current.currency() : change.currency(),
                change.defaultAllowedOrigins() == null ? current.defaultAllowedOrigins()
                        : change.defaultAllowedOrigins(),
                change.telemetryRetentionDays() == null ? current.telemetryRetentionDays()
                        : change.telemetryRetentionDays()), Actor.of(Caller.current(), http));
    }

    /** The settings to change; a field left out (or null) keeps its value. */
    @Schema(example = """
            {"cdnPricePerGb": 0.02, "currency": "EUR"}""")
    record TenantSettingsChange(
            @Schema(minLength = 1, maxLength = 100) String name,
            @Schema(minimum = "0", maximum = "1000", description = "What the CDN charges per GB, in currency.")
            BigDecimal cdnPricePerGb,
            @Schema(pattern = "^[A-Z]{3}$", description = "ISO 4217, such as USD or EUR.") String currency,
            @Schema(description = "Origins new publishable keys start with, such as https://www.example.com.")
            List<String> defaultAllowedOrigins,
            @Schema(description = "Days raw heartbeats are kept: 7, 30, 90 or 365.") Integer telemetryRetentionDays) {
    }
}
