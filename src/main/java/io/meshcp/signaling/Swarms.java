package io.meshcp.signaling;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.meshcp.player.NatType;

/**
 * Swarm membership and delivery of messages to peers. The tracker only talks to this interface: the local
 * implementation keeps swarms in memory for a node on its own, the Redis one makes several nodes one tracker.
 */
interface Swarms {

    /** Adds the peer to the swarm, or refreshes it. False when another connection holds this peer id. */
    boolean join(SwarmKey swarm, Member member);

    void leave(SwarmKey swarm, String peerId, PeerConnection connection);

    /**
     * Up to {@code max} random members other than {@code self} that {@code self} can connect to. May complete
     * later, on another thread, when other nodes' members must be read first; it never completes exceptionally.
     */
    CompletableFuture<List<Member>> pick(SwarmKey swarm, Member self, int max);

    int size(SwarmKey swarm);

    /** Peers in all swarms (renditions) of one stream. */
    int streamPeers(UUID tenantId, UUID streamId);

    /** The live swarms of one stream, largest first. */
    List<SwarmView> ofStream(UUID tenantId, UUID streamId);

    /** Seeders ({@code complete}) and leechers ({@code incomplete}). */
    int[] counts(SwarmKey swarm);

    /**
     * Relays an offer (a JSON message, UTF-8) to a member returned by {@link #pick} and remembers it on the
     * member's connection, so that only an answer to it is relayed back; false when it was not relayed (here: the
     * member has gone or is at its peer limit; on another node that node drops it silently).
     */
    boolean offer(SwarmKey swarm, Member to, String fromPeerId, String offerId, long expiresAtNanos, byte[] message);

    /**
     * Relays {@code fromPeerId}'s answer to offer {@code offerId} back to the peer that made it, held by
     * {@code node} (null: this node); delivered only while that peer still waits for it, which pairs the two.
     */
    boolean answer(SwarmKey swarm, String toPeerId, String fromPeerId, String offerId, String node, byte[] message);

    /** A member of the swarm held by this node, or null. */
    Member member(SwarmKey swarm, String peerId);

    /**
     * Whether a peer held by {@code node} (null: this node) is, as far as this node can tell, still in the swarm;
     * true when it cannot tell.
     */
    boolean present(SwarmKey swarm, String peerId, String node);

    /**
     * A peer in a swarm: its id, NAT type, whether it has everything, and either the connection that owns it on
     * this node or, for a peer on another node, that node's id.
     */
    record Member(String peerId, NatType nat, boolean seeder, PeerConnection connection, String node) {

        /** A member held by this node. */
        Member(String peerId, NatType nat, boolean seeder, PeerConnection connection) {
            this(peerId, nat, seeder, connection, null);
        }
    }
}
