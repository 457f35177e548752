package io.meshcp.policies;

/** Where an effective value comes from, lowest first; a higher level overrides a lower one. */
public enum PolicyLevel {
    PLATFORM, TENANT, STREAM, LIVE_EVENT
}
