/**
 * Telemetry: players' heartbeats taken in at {@code POST /v1/telemetry}, stored exactly once and durably
 * before they are acknowledged, and summed per minute and hour for analytics. docs/telemetry.md.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Telemetry",
        allowedDependencies = {"apikeys", "database", "player", "policies", "shared", "shared :: caller",
            "shared :: http", "shared :: limits", "shared :: problems", "streams"})
package io.meshcp.telemetry;
