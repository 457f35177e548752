package io.meshcp.policies;

/** The device classes whose peer limits differ. */
public enum DeviceClass {
    DESKTOP, MOBILE, TV
}
