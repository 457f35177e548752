package io.meshcp.apikeys;

import java.util.UUID;

import io.meshcp.accounts.Role;
import io.meshcp.shared.caller.Source;
import io.meshcp.shared.caller.TenantPrincipal;

/** A request to the REST API authenticated by a secret key. */
public record ApiKeyPrincipal(UUID keyId, UUID tenantId, String name, String displayPrefix, Role role)
        implements TenantPrincipal {

    @Override
    public String actor() {
        return "API key \"" + name + "\" (" + displayPrefix + "…)";
    }

    @Override
    public Source source() {
        return Source.API;
    }
}
