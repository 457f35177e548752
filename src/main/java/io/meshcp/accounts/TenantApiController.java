package io.meshcp.accounts;

import io.meshcp.shared.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
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
}
