/**
 * The dashboard frame: the overview page and the entry pages of the areas that the streams, signaling
 * and analytics modules fill. The shared layout lives in {@code frontend-templates/fragments}.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Dashboard",
        allowedDependencies = {"accounts", "analytics", "apikeys", "shared :: caller", "shared :: problems",
            "streams", "telemetry", "telemetry :: sums"})
package io.meshcp.dashboard;
