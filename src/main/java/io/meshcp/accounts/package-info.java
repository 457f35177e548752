/**
 * Customer accounts: tenants (organisations), users, their memberships and roles, invitations, sign-up
 * and dashboard login (with password rules and login throttling), and tenant settings. Its public API
 * is {@link io.meshcp.accounts.Accounts} and the view records next to it.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Accounts",
        allowedDependencies = {"audit", "database", "shared", "shared :: caller", "shared :: http",
            "shared :: limits", "shared :: problems"})
package io.meshcp.accounts;
