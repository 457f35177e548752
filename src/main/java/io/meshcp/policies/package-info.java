/**
 * p2p policies: the platform default, each tenant's default, per-stream overrides and live-event
 * windows, resolved into the effective policy with the level each value came from; versions with
 * diffs and restore; kill switches. {@link io.meshcp.policies.PolicyResolver} answers the hot path
 * from memory.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Policies",
        allowedDependencies = {"audit", "database", "player", "shared", "shared :: caching", "shared :: caller",
            "shared :: paging", "shared :: problems", "streams"})
package io.meshcp.policies;
