package io.meshcp.signaling;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.meshcp.signaling.Swarms.Member;

/**
 * The members of one swarm on this node. Members sit in an array so that picking peers for an offer
 * costs the number picked, not the size of the swarm (a live event's swarm holds thousands), and seeders
 * are counted as they come and go for the same reason. Each swarm is its own lock: sockets on different
 * event loops announce into the same swarm.
 */
final class Swarm {

    private final List<Member> members = new ArrayList<>();

    private final Map<String, Integer> indexByPeerId = new HashMap<>();

    private int seeders;

    /** Adds or refreshes a member; false when another connection holds its peer id. */
    synchronized Join join(Member member) {
        Integer index = indexByPeerId.get(member.peerId());
        if (index == null) {
            indexByPeerId.put(member.peerId(), members.size());
            members.add(member);
            seeders += member.seeder() ? 1 : 0;
            return Join.JOINED;
        }
        Member existing = members.get(index);
        if (existing.connection() != member.connection()) {
            return Join.PEER_ID_TAKEN;
        }
        seeders += (member.seeder() ? 1 : 0) - (existing.seeder() ? 1 : 0);
        members.set(index, member);
        return Join.REFRESHED;
    }

    /** Removes the member if this connection still owns it; true when it was removed. */
    synchronized boolean leave(String peerId, PeerConnection connection) {
        Integer index = indexByPeerId.get(peerId);
        if (index == null || members.get(index).connection() != connection) {
            return false;
        }
        Member removed = members.get(index);
        Member last = members.removeLast();
        indexByPeerId.remove(peerId);
        if (last != removed) {
            members.set(index, last);
            indexByPeerId.put(last.peerId(), index);
        }
        seeders -= removed.seeder() ? 1 : 0;
        return true;
    }

    synchronized Member member(String peerId) {
        Integer index = indexByPeerId.get(peerId);
        return index == null ? null : members.get(index);
    }

    /**
     * Up to {@code max} distinct random members other than {@code self} that it can connect to. Samples
     * random positions first; only when incompatible NAT types crowd the swarm does it fall back to a scan.
     */
    synchronized List<Member> pick(Member self, int max) {
        int size = members.size();
        // Not size <= 1: self need not be a member (other nodes' members are picked from a swarm of their own).
        if (max <= 0 || size == 0) {
            return List.of();
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        if (size <= 2 * max) {
            List<Member> candidates = new ArrayList<>(size);
            for (Member member : members) {
                if (connectable(self, member)) {
                    candidates.add(member);
                }
            }
            Collections.shuffle(candidates, random);
            return candidates.size() <= max ? candidates : List.copyOf(candidates.subList(0, max));
        }
        List<Member> picked = new ArrayList<>(max);
        for (int attempt = 0; attempt < 4 * max && picked.size() < max; attempt++) {
            Member member = members.get(random.nextInt(size));
            if (connectable(self, member) && !picked.contains(member)) {
                picked.add(member);
            }
        }
        for (int i = 0, start = random.nextInt(size); i < size && picked.size() < max; i++) {
            Member member = members.get((start + i) % size);
            if (connectable(self, member) && !picked.contains(member)) {
                picked.add(member);
            }
        }
        return picked;
    }

    synchronized int size() {
        return members.size();
    }

    /** Seeders ({@code complete}) and leechers ({@code incomplete}). */
    synchronized int[] counts() {
        return new int[] {seeders, members.size() - seeders};
    }

    synchronized List<Member> snapshot() {
        return List.copyOf(members);
    }

    private static boolean connectable(Member self, Member other) {
        return !other.peerId().equals(self.peerId()) && self.nat().canConnect(other.nat());
    }

    enum Join {
        JOINED, REFRESHED, PEER_ID_TAKEN
    }
}
