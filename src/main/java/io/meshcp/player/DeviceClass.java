package io.meshcp.player;

/** The device classes whose peer limits differ. */
public enum DeviceClass implements WireCode {
    DESKTOP, MOBILE, TV
}
