package io.meshcp.shared.caller;

/** Where a change or an event came from; recorded with every audited action. */
public enum Source {
    DASHBOARD, API, SYSTEM
}
