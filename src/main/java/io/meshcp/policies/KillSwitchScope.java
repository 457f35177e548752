package io.meshcp.policies;

/** Which kill switch turned p2p off: the tenant-wide one or the stream's own. */
public enum KillSwitchScope {
    TENANT, STREAM
}
