package io.meshcp.policies;

public enum LiveEventState {
    UPCOMING, ACTIVE, PAST, CANCELLED
}
