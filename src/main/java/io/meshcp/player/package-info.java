/**
 * The player vocabulary: what a player says about itself (device class, network, NAT type), the cohort it is
 * put in and why p2p was limited for it, each value with the code it has on the wire. Client-config, the
 * signaling tokens, the tracker, telemetry and analytics all speak it, so a new value is one line here.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Player vocabulary", allowedDependencies = {})
package io.meshcp.player;
