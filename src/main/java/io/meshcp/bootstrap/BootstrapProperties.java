package io.meshcp.bootstrap;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * A tenant to create at start-up when none of this name exists (environment variables
 * {@code MESHCP_BOOTSTRAP_*}). Nothing happens while {@code tenantName} is empty.
 *
 * @param tenantName the organisation's name; empty disables bootstrap
 * @param ownerEmail the owner's sign-in address
 * @param ownerPassword the owner's password (same rules as sign-up); generated and logged once if empty
 * @param secretKey a secret key to install ({@code mesh_sk_} + 32..128 of [A-Za-z0-9]); generated and logged once if empty
 * @param publishableKey a publishable key to install ({@code mesh_pk_} + 32..128 of [A-Za-z0-9]); generated and logged once if empty
 * @param allowedOrigins comma-separated origins for the publishable key and the tenant's default
 */
@ConfigurationProperties("meshcp.bootstrap")
record BootstrapProperties(String tenantName, String ownerEmail, String ownerPassword, String secretKey,
        String publishableKey, String allowedOrigins) {

    boolean enabled() {
        return tenantName != null && !tenantName.isBlank();
    }
}
