/**
 * The auto-guard ({@link io.meshcp.guard.AutoGuard}): p2p switched off for a stream when its p2p viewers rebuffer
 * more than its holdout viewers beyond chance, through the stream's kill switch marked as the guard's; opt-in per
 * organisation and stream, audited, told to webhooks, released by a person or after a set time.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Auto-guard",
        allowedDependencies = {"analytics", "audit", "database", "policies", "shared", "shared :: caller",
            "shared :: problems", "streams", "telemetry :: sums", "webhooks"})
package io.meshcp.guard;
