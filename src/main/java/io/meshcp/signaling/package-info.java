/**
 * Signaling: the WebSocket tracker that introduces peers, and the signed, short-lived tokens that client-config
 * hands to players and the tracker checks without a database round trip
 * ({@link io.meshcp.signaling.SignalingTokens}). With Redis configured, swarms are shared by all nodes through
 * it; without, each node keeps its own in memory (docs/signaling.md).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Signaling",
        allowedDependencies = {"apikeys", "cluster", "database", "player", "policies", "shared",
            "shared :: caller", "shared :: problems", "streams"})
package io.meshcp.signaling;
