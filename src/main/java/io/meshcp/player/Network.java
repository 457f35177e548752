package io.meshcp.player;

/** The kind of network a player is on; on cellular, uploading costs the viewer money. */
public enum Network implements WireCode {
    WIFI, CELLULAR, ETHERNET, UNKNOWN
}
