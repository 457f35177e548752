package io.meshcp.policies;

/** The most peer connections a device of each class may hold; null inherits. */
public record MaxPeers(Integer desktop, Integer mobile, Integer tv) {
}
