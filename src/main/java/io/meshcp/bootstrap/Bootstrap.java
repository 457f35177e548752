package io.meshcp.bootstrap;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.meshcp.accounts.Accounts;
import io.meshcp.accounts.Role;
import io.meshcp.accounts.SignUp;
import io.meshcp.accounts.TenantSettings;
import io.meshcp.accounts.TenantView;
import io.meshcp.apikeys.ApiKeys;
import io.meshcp.apikeys.IssuedKey;
import io.meshcp.apikeys.KeyKind;
import io.meshcp.apikeys.NewKey;
import io.meshcp.database.DatabaseScope;
import io.meshcp.shared.LogSafe;
import io.meshcp.shared.Tokens;
import io.meshcp.shared.caller.Actor;
import io.meshcp.shared.http.Origins;
import io.meshcp.shared.problems.InvalidInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Applies {@link BootstrapProperties} once. Values that were not given are generated and printed to the
 * log this one time, since they are stored only as hashes. Invalid values stop the start-up with the
 * reason, rather than leaving a half-made tenant. Replicas that start together (a Deployment's pods) take
 * turns through an advisory lock, so one creates the tenant and the others find it.
 */
@Component
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

    private static final Map<String, String> SIGN_UP_VARIABLES = Map.of("organisation",
            "MESHCP_BOOTSTRAP_TENANT_NAME", "email", "MESHCP_BOOTSTRAP_OWNER_EMAIL", "password",
            "MESHCP_BOOTSTRAP_OWNER_PASSWORD");

    private final BootstrapProperties properties;

    private final Accounts accounts;

    private final ApiKeys apiKeys;

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transaction;

    Bootstrap(BootstrapProperties properties, Accounts accounts, ApiKeys apiKeys, JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager) {
        this.properties = properties;
        this.accounts = accounts;
        this.apiKeys = apiKeys;
        this.jdbc = jdbc;
        this.transaction = new TransactionTemplate(transactionManager);
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.enabled()) {
            return;
        }
        // Whether the organisation exists already is a question about every organisation's names.
        DatabaseScope.system(() -> transaction.executeWithoutResult(status -> {
            // Held until this transaction ends, so the next replica sees the committed tenant.
            jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended(?, 0))", "bootstrap");
            createTenant();
        }));
    }

    private void createTenant() {
        if (accounts.findTenantByName(properties.tenantName().strip()).isPresent()) {
            log.info("Bootstrap: tenant '{}' exists already; nothing to do", properties.tenantName().strip());
            return;
        }
        Actor actor = new Actor("bootstrap", Actor.SYSTEM.source(), null);
        boolean passwordGiven = properties.ownerPassword() != null && !properties.ownerPassword().isBlank();
        String password = passwordGiven ? properties.ownerPassword() : Tokens.random(20);
        TenantView tenant = apply(SIGN_UP_VARIABLES, () -> accounts.signUp(new SignUp(properties.tenantName(),
                "Owner", properties.ownerEmail(), password), actor));
        List<String> origins = Origins.split(properties.allowedOrigins());
        apply(Map.of("defaultAllowedOrigins", "MESHCP_BOOTSTRAP_ALLOWED_ORIGINS"), () -> accounts.updateSettings(
                tenant.id(), new TenantSettings(tenant.name(), tenant.cdnPricePerGb(), tenant.currency(), origins,
                        tenant.telemetryRetentionDays()), actor));
        IssuedKey secret = apply(Map.of("key", "MESHCP_BOOTSTRAP_SECRET_KEY"), () -> install(tenant,
                new NewKey(KeyKind.SECRET, "bootstrap secret key", List.of(), null, Role.ADMIN), properties.secretKey(), actor));
        IssuedKey publishable = apply(Map.of("key", "MESHCP_BOOTSTRAP_PUBLISHABLE_KEY",
                "allowedOrigins", "MESHCP_BOOTSTRAP_ALLOWED_ORIGINS"), () -> install(tenant,
                new NewKey(KeyKind.PUBLISHABLE, "bootstrap publishable key", origins, null),
                properties.publishableKey(), actor));
        log.info("Bootstrap: created tenant '{}' with owner {}", tenant.name(), properties.ownerEmail());
        // The one place secrets go to the log on purpose: they are stored as hashes, so the operator reads them here
        // or nowhere. The marker keeps the log's redaction off these lines only.
        if (!passwordGiven) {
            log.warn(LogSafe.SHOWN_ONCE, "Bootstrap: generated owner password (shown once): {}", password);
        }
        if (properties.secretKey() == null || properties.secretKey().isBlank()) {
            log.warn(LogSafe.SHOWN_ONCE, "Bootstrap: generated secret key (shown once): {}", secret.key());
        }
        if (properties.publishableKey() == null || properties.publishableKey().isBlank()) {
            log.warn(LogSafe.SHOWN_ONCE, "Bootstrap: generated publishable key (shown once): {}", publishable.key());
        }
    }

    // Names the environment variable at fault, since that is what the operator has to change.
    private static <T> T apply(Map<String, String> variables, Supplier<T> step) {
        try {
            return step.get();
        }
        catch (InvalidInputException e) {
            String variable = variables.getOrDefault(e.field(), e.field());
            throw new IllegalStateException("Bootstrap failed: " + variable + " " + e.getMessage(), e);
        }
    }

    private IssuedKey install(TenantView tenant, NewKey key, String value, Actor actor) {
        if (value == null || value.isBlank()) {
            return apiKeys.create(tenant.id(), key, actor);
        }
        return apiKeys.importKey(tenant.id(), key, value.strip(), actor);
    }
}
