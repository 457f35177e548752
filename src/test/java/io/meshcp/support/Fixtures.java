package io.meshcp.support;

import java.util.List;
import java.util.UUID;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.Role;
import io.meshcp.accounts.SignUp;
import io.meshcp.accounts.TenantView;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.shared.caller.Actor;
import org.springframework.boot.test.context.TestComponent;

/** Makes fresh, uniquely named tenants, so tests never depend on each other's data. */
@TestComponent
public class Fixtures {

    public static final String PASSWORD = "a long enough test passphrase";

    private final Accounts accounts;

    private final ApiKeys apiKeys;

    Fixtures(Accounts accounts, ApiKeys apiKeys) {
        this.accounts = accounts;
        this.apiKeys = apiKeys;
    }

    public Tenant tenant() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        String email = "owner-" + id + "@example.com";
        TenantView tenant = accounts.signUp(new SignUp("Org " + id, "Owner " + id, email, PASSWORD), Actor.SYSTEM);
        return new Tenant(tenant, email);
    }

    /** A secret key with the default role, OPS. */
    public IssuedKey secretKey(UUID tenantId) {
        return secretKey(tenantId, Role.OPS);
    }

    public IssuedKey secretKey(UUID tenantId, Role role) {
        return apiKeys.create(tenantId, new NewKey(KeyKind.SECRET, "test key", List.of(), null, role), Actor.SYSTEM);
    }

    public IssuedKey publishableKey(UUID tenantId, String... allowedOrigins) {
        return apiKeys.create(tenantId, new NewKey(KeyKind.PUBLISHABLE, "test player key", List.of(allowedOrigins),
                null), Actor.SYSTEM);
    }

    public record Tenant(TenantView view, String ownerEmail) {

        public UUID id() {
            return view.id();
        }
    }
}
