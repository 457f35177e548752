package io.meshcp.signaling;

import java.util.List;
import java.util.UUID;

/**
 * Swarm membership and delivery of messages to peers. The tracker only talks to this interface, so
 * a Redis-backed implementation can make several nodes one tracker; the local one keeps it in memory.
 */
interface Swarms {

    /** Adds the peer to the swarm, or refreshes it. False when another connection holds this peer id. */
    boolean join(SwarmKey swarm, Member member);

    void leave(SwarmKey swarm, String peerId, Object connection);

    /** Up to {@code max} random members other than {@code self} that {@code self} can connect to. */
    List<Member> pick(SwarmKey swarm, Member self, int max);

    int size(SwarmKey swarm);

    /** Peers in all swarms (renditions) of one stream. */
    int streamPeers(UUID tenantId, UUID streamId);

    /** The live swarms of one stream, largest first. */
    List<SwarmView> ofStream(UUID tenantId, UUID streamId);

    /** Seeders ({@code complete}) and leechers ({@code incomplete}). */
    int[] counts(SwarmKey swarm);

    /** Delivers a JSON message (UTF-8) to a member; false when it is not (or no longer) reachable. */
    boolean send(SwarmKey swarm, String peerId, byte[] message);

    /** A peer in a swarm: its id, NAT type, whether it has everything, and the connection that owns it. */
    record Member(String peerId, String nat, boolean seeder, PeerConnection connection) {
    }
}
