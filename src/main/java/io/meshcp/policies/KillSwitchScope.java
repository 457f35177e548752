package io.meshcp.policies;

/** Which kill switch turned p2p off: the tenant-wide one, the stream's own, or the one the auto-guard engaged. */
public enum KillSwitchScope {
    TENANT, STREAM, AUTO_GUARD
}
