/**
 * Analytics: offload, savings, concurrency, quality and battery cost from the telemetry sums, with the
 * p2p cohort compared against the holdout cohort. Definitions in docs/analytics.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Analytics",
        allowedDependencies = {"accounts", "database", "player", "policies", "shared :: caller",
            "shared :: problems", "streams", "telemetry :: sums"})
package io.meshcp.analytics;
