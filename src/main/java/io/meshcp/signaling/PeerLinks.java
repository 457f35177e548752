package io.meshcp.signaling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The WebRTC connections one viewer (socket) holds or is setting up, as far as the tracker can know them: a
 * connection only ever starts from an offer relayed here and its answer relayed back. So {@code maxPeers} is a
 * total per viewer, across announces and renditions: the offers it made that wait for an answer, the offers made
 * to it that wait for its answer, and the peers it was paired with, which it keeps while both stay in the swarm.
 *
 * <p>Touched from several threads (the viewer's own event loop, the event loops of the peers that make offers to it
 * or answer its offers, a Redis thread for peers on other nodes, the tracker's sweep): every method holds the lock.
 */
final class PeerLinks {

    /** Offers one peer may have waiting for its answers; more are refused rather than buffered. */
    static final int MAX_PENDING_OFFERS = 64;

    /** System.nanoTime, the clock the offers' expiry times are read on; a test's own in tests. */
    private final LongSupplier nanoTime;

    private int limit;

    private final Map<OfferKey, PendingOffer> incoming = new HashMap<>(4);

    private final Map<OfferKey, Outgoing> outgoing = new HashMap<>(4);

    private final Map<String, Map<String, String>> partnersBySwarm = new HashMap<>(2);

    private int partners;

    /**
     * No offer waiting expires before this (on {@link #nanoTime}), so pruning can skip looking until then: it is asked
     * for every peer considered for an offer, and in a big swarm most of them have nothing expired. Only ever earlier
     * than the truth (an offer answered or cancelled leaves it), which costs one look that finds nothing.
     */
    private long noExpiryBefore;

    private boolean anyWaiting;

    PeerLinks() {
        this(System::nanoTime);
    }

    PeerLinks(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    /** The viewer's current {@code maxPeers}, from its device class and the stream's policy. */
    synchronized void limit(int maxPeers) {
        this.limit = maxPeers;
    }

    /** How many more peers this viewer may be offered or may offer to now. */
    synchronized int free() {
        prune(nanoTime.getAsLong());
        return Math.max(0, limit - used());
    }

    /**
     * Takes a slot for an offer this viewer's peer {@code fromPeerId} makes to {@code toPeerId}; false when the
     * viewer is at its limit or already linked with that peer in this swarm.
     */
    synchronized boolean reserveOffer(String fromPeerId, String offerId, String infoHash, String toPeerId,
            long expiresAtNanos) {
        prune(nanoTime.getAsLong());
        if (used() >= limit || linked(infoHash, toPeerId)) {
            return false;
        }
        outgoing.put(new OfferKey(fromPeerId, offerId), new Outgoing(toPeerId, infoHash, expiresAtNanos));
        waiting(expiresAtNanos);
        return true;
    }

    /** Gives back the slot of an offer that could not be delivered. */
    synchronized void cancelOffer(String fromPeerId, String offerId) {
        outgoing.remove(new OfferKey(fromPeerId, offerId));
    }

    /**
     * The answer to one of this viewer's offers has come: the offer's slot becomes a pairing. False when there is
     * no such offer waiting (never made, expired, or its viewer left the swarm): the answer is then not delivered.
     */
    synchronized boolean answered(String ownPeerId, String offerId, String fromPeerId, String fromNode) {
        Outgoing offer = outgoing.remove(new OfferKey(ownPeerId, offerId));
        if (offer == null || offer.expiresAtNanos() - nanoTime.getAsLong() < 0 || !offer.toPeerId().equals(fromPeerId)) {
            return false;
        }
        pair(offer.infoHash(), fromPeerId, fromNode);
        return true;
    }

    /**
     * Remembers an offer relayed to this viewer's peer {@code toPeerId}, so that only an answer to it is relayed
     * back; false (the offer is not delivered) when the viewer is at its limit, already linked with the offering
     * peer in this swarm, or has too many offers waiting.
     */
    synchronized boolean expectAnswer(String toPeerId, String offerId, String fromPeerId, String fromNode,
            String infoHash, long expiresAtNanos) {
        prune(nanoTime.getAsLong());
        if (incoming.size() >= MAX_PENDING_OFFERS || used() >= limit || linked(infoHash, fromPeerId)) {
            return false;
        }
        incoming.put(new OfferKey(toPeerId, offerId), new PendingOffer(fromPeerId, fromNode, infoHash,
                expiresAtNanos));
        waiting(expiresAtNanos);
        return true;
    }

    /** The offer this viewer's peer answers, if it is still waiting; its slot stays taken until {@link #pair}. */
    synchronized PendingOffer takeOffer(String toPeerId, String offerId) {
        PendingOffer offer = incoming.remove(new OfferKey(toPeerId, offerId));
        if (offer == null || offer.expiresAtNanos() - nanoTime.getAsLong() < 0) {
            return null;
        }
        pair(offer.infoHash(), offer.fromPeerId(), offer.fromNode());
        return offer;
    }

    /** Frees the slot of a pairing whose other side left the swarm. */
    synchronized void unpair(String infoHash, String peerId) {
        Map<String, String> swarm = partnersBySwarm.get(infoHash);
        // The value is the partner's node, null for this one, so presence is asked with containsKey.
        if (swarm != null && swarm.containsKey(peerId)) {
            swarm.remove(peerId);
            partners--;
            if (swarm.isEmpty()) {
                partnersBySwarm.remove(infoHash);
            }
        }
    }

    /** Forgets everything of one swarm this viewer left; returns its partners there, peer id to node (null: here). */
    synchronized Map<String, String> leave(String infoHash) {
        outgoing.values().removeIf(offer -> offer.infoHash().equals(infoHash));
        incoming.values().removeIf(offer -> offer.infoHash().equals(infoHash));
        Map<String, String> left = partnersBySwarm.remove(infoHash);
        if (left == null) {
            return Map.of();
        }
        partners -= left.size();
        return left;
    }

    /** Every pairing with a peer on another node, as (info hash, peer id, node): checked now and then for peers gone. */
    synchronized List<String[]> remotePartners() {
        List<String[]> remote = new ArrayList<>();
        partnersBySwarm.forEach((infoHash, swarm) -> swarm.forEach((peerId, node) -> {
            if (node != null) {
                remote.add(new String[] {infoHash, peerId, node});
            }
        }));
        return remote;
    }

    synchronized int partners() {
        return partners;
    }

    private void pair(String infoHash, String peerId, String node) {
        Map<String, String> swarm = partnersBySwarm.computeIfAbsent(infoHash, hash -> new HashMap<>(4));
        if (!swarm.containsKey(peerId)) {
            partners++;
        }
        swarm.put(peerId, node);
    }

    private boolean linked(String infoHash, String peerId) {
        Map<String, String> swarm = partnersBySwarm.get(infoHash);
        if (swarm != null && swarm.containsKey(peerId)) {
            return true;
        }
        for (Outgoing offer : outgoing.values()) {
            if (offer.toPeerId().equals(peerId) && offer.infoHash().equals(infoHash)) {
                return true;
            }
        }
        for (PendingOffer offer : incoming.values()) {
            if (offer.fromPeerId().equals(peerId) && offer.infoHash().equals(infoHash)) {
                return true;
            }
        }
        return false;
    }

    private int used() {
        return partners + outgoing.size() + incoming.size();
    }

    private void waiting(long expiresAtNanos) {
        if (!anyWaiting || expiresAtNanos - noExpiryBefore < 0) {
            noExpiryBefore = expiresAtNanos;
        }
        anyWaiting = true;
    }

    private void prune(long now) {
        if (!anyWaiting || now - noExpiryBefore < 0) {
            return;
        }
        anyWaiting = false;
        for (Iterator<Outgoing> it = outgoing.values().iterator(); it.hasNext();) {
            long expiresAt = it.next().expiresAtNanos();
            if (expiresAt - now < 0) {
                it.remove();
            }
            else {
                waiting(expiresAt);
            }
        }
        for (Iterator<PendingOffer> it = incoming.values().iterator(); it.hasNext();) {
            long expiresAt = it.next().expiresAtNanos();
            if (expiresAt - now < 0) {
                it.remove();
            }
            else {
                waiting(expiresAt);
            }
        }
    }

    /** Peer ids this viewer is paired with in a swarm (for tests and the sweep). */
    synchronized Set<String> partnersIn(String infoHash) {
        Map<String, String> swarm = partnersBySwarm.get(infoHash);
        return swarm == null ? Set.of() : new HashSet<>(swarm.keySet());
    }

    /** An offer relayed to this viewer: who made it and on which node (null: this one), for the answer's way back. */
    record PendingOffer(String fromPeerId, String fromNode, String infoHash, long expiresAtNanos) {
    }

    private record Outgoing(String toPeerId, String infoHash, long expiresAtNanos) {
    }

    /** An offer as its answer names it: the peer it was relayed to (or made by) and its id. */
    private record OfferKey(String peerId, String offerId) {
    }
}
