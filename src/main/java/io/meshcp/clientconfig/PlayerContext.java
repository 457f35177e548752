package io.meshcp.clientconfig;

import io.meshcp.player.DeviceClass;
import io.meshcp.player.NatType;
import io.meshcp.player.Network;

/** What a player told client-config about itself; battery and charging may be unknown (null). */
record PlayerContext(DeviceClass device, Network network, Double battery, Boolean charging, NatType nat) {
}
