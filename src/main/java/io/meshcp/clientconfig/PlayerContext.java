package io.meshcp.clientconfig;

import io.meshcp.policies.DeviceClass;

/** What a player told client-config about itself; battery and charging may be unknown (null). */
record PlayerContext(DeviceClass device, Network network, Double battery, Boolean charging, NatType nat) {
}
