/**
 * The player-facing {@code GET /v1/client-config}: one response with everything a player integration
 * needs (the effective policy, the p2p decision with its reasons, the cohort, a signaling token, STUN
 * servers, telemetry settings), answered from memory on the hot path.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Client config",
        allowedDependencies = {"apikeys", "player", "policies", "shared", "shared :: http", "shared :: problems",
            "signaling", "streams"})
package io.meshcp.clientconfig;
