/**
 * Alerts ({@link io.meshcp.alerts.Alerts}): rules per organisation and stream (offload below a threshold during a
 * live event, no heartbeats during a live event, the p2p cohort rebuffering more than the holdout), their pending
 * and firing states with history, shown on every dashboard page and sent to webhooks.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Alerts",
        allowedDependencies = {"analytics", "audit", "database", "policies", "shared", "shared :: caller",
            "shared :: problems", "signaling", "streams", "telemetry :: sums", "webhooks"})
package io.meshcp.alerts;
