package io.meshcp.player;

/** Whether a session uses p2p or is held out of it, so analytics can compare the two. */
public enum Cohort implements WireCode {
    P2P, HOLDOUT
}
