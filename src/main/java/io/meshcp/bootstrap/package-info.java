/**
 * Bootstrap for automation and demos: from {@code MESHCP_BOOTSTRAP_*} settings, creates a tenant with
 * its owner and keys once, when no tenant of that name exists yet.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Bootstrap",
        allowedDependencies = {"accounts", "apikeys", "database", "shared", "shared :: caller", "shared :: http",
            "shared :: problems"})
package io.meshcp.bootstrap;
