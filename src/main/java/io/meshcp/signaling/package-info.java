/**
 * Signaling: the WebSocket tracker that introduces peers. For now it holds the signed, short-lived
 * tokens that client-config hands to players and the tracker checks without a database round trip
 * ({@link io.meshcp.signaling.SignalingTokens}).
 */
@org.springframework.modulith.ApplicationModule(displayName = "Signaling")
package io.meshcp.signaling;
