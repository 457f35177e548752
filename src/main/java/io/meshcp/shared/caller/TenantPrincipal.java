package io.meshcp.shared.caller;

import java.util.UUID;

/**
 * What every authenticated caller is, whether a dashboard user or a secret API key: it belongs to one
 * tenant, has a name to show in the audit log, and comes through one surface.
 */
public interface TenantPrincipal {

    UUID tenantId();

    /** How the caller appears in the audit log: an email address or a key's name and prefix. */
    String actor();

    Source source();
}
