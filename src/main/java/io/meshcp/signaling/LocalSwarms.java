package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/** Swarms of this node, in memory. Empty swarms are removed at once, so memory follows live peers. */
@Component
class LocalSwarms implements Swarms {

    private final Map<SwarmKey, Swarm> swarms = new ConcurrentHashMap<>();

    // Kept alongside the swarms so client-config can ask a stream's size without scanning every swarm.
    private final Map<StreamKey, AtomicInteger> streamPeers = new ConcurrentHashMap<>();

    // Joins and leaves go through compute, so an emptied swarm is removed only while nobody joins it.
    @Override
    public boolean join(SwarmKey swarm, Member member) {
        Swarm.Join[] outcome = {null};
        swarms.compute(swarm, (key, existing) -> {
            Swarm target = existing == null ? new Swarm() : existing;
            outcome[0] = target.join(member);
            if (outcome[0] == Swarm.Join.JOINED) {
                streamPeers.computeIfAbsent(new StreamKey(key.tenantId(), key.streamId()),
                        stream -> new AtomicInteger()).incrementAndGet();
            }
            return target.size() == 0 ? null : target;
        });
        return outcome[0] != Swarm.Join.PEER_ID_TAKEN;
    }

    @Override
    public void leave(SwarmKey swarm, String peerId, PeerConnection connection) {
        swarms.computeIfPresent(swarm, (key, existing) -> {
            if (existing.leave(peerId, connection)) {
                streamPeers.computeIfPresent(new StreamKey(key.tenantId(), key.streamId()),
                        (stream, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
            return existing.size() == 0 ? null : existing;
        });
    }

    @Override
    public CompletableFuture<List<Member>> pick(SwarmKey swarm, Member self, int max) {
        return CompletableFuture.completedFuture(pickHere(swarm, self, max));
    }

    List<Member> pickHere(SwarmKey swarm, Member self, int max) {
        Swarm members = swarms.get(swarm);
        return members == null ? List.of() : members.pick(self, max);
    }

    @Override
    public int size(SwarmKey swarm) {
        Swarm members = swarms.get(swarm);
        return members == null ? 0 : members.size();
    }

    @Override
    public int streamPeers(UUID tenantId, UUID streamId) {
        AtomicInteger count = streamPeers.get(new StreamKey(tenantId, streamId));
        return count == null ? 0 : count.get();
    }

    @Override
    public int[] counts(SwarmKey swarm) {
        Swarm members = swarms.get(swarm);
        return members == null ? new int[] {0, 0} : members.counts();
    }

    @Override
    public boolean offer(SwarmKey swarm, Member to, String fromPeerId, String offerId, long expiresAtNanos,
            byte[] message) {
        return deliverOffer(swarm, to.peerId(), fromPeerId, null, offerId, expiresAtNanos, message);
    }

    @Override
    public boolean answer(SwarmKey swarm, String toPeerId, String fromPeerId, String offerId, String node,
            byte[] message) {
        return deliverAnswer(swarm, toPeerId, fromPeerId, null, offerId, message);
    }

    @Override
    public boolean present(SwarmKey swarm, String peerId, String node) {
        return member(swarm, peerId) != null;
    }

    /** Relays an offer from a peer on {@code fromNode} (null: this node) to a member held here. */
    boolean deliverOffer(SwarmKey swarm, String toPeerId, String fromPeerId, String fromNode, String offerId,
            long expiresAtNanos, byte[] message) {
        Member to = member(swarm, toPeerId);
        return to != null && to.connection().links().expectAnswer(toPeerId, offerId, fromPeerId, fromNode,
                swarm.infoHash(), expiresAtNanos) && to.connection().send(message);
    }

    /** Relays an answer from a peer on {@code fromNode} (null: this node) to the member here that made the offer. */
    boolean deliverAnswer(SwarmKey swarm, String toPeerId, String fromPeerId, String fromNode, String offerId,
            byte[] message) {
        Member to = member(swarm, toPeerId);
        return to != null && to.connection().links().answered(toPeerId, offerId, fromPeerId, fromNode)
                && to.connection().send(message);
    }

    @Override
    public Member member(SwarmKey swarm, String peerId) {
        Swarm members = swarms.get(swarm);
        return members == null ? null : members.member(peerId);
    }

    /** Every member held here, by swarm: what a node writes to Redis again and again so it does not expire. */
    Map<SwarmKey, List<Member>> snapshot() {
        Map<SwarmKey, List<Member>> snapshot = new HashMap<>();
        swarms.forEach((key, swarm) -> {
            List<Member> members = swarm.snapshot();
            if (!members.isEmpty()) {
                snapshot.put(key, members);
            }
        });
        return snapshot;
    }

    // A scan of all swarms: fine for a dashboard that polls every few seconds, not for a hot path.
    @Override
    public List<SwarmView> ofStream(UUID tenantId, UUID streamId) {
        List<SwarmView> views = new ArrayList<>();
        swarms.forEach((key, swarm) -> {
            if (key.tenantId().equals(tenantId) && key.streamId().equals(streamId)) {
                List<Member> members = swarm.snapshot();
                Map<String, Integer> nats = new TreeMap<>();
                int seeders = 0;
                for (Member member : members) {
                    nats.merge(member.nat().code(), 1, Integer::sum);
                    seeders += member.seeder() ? 1 : 0;
                }
                if (!members.isEmpty()) {
                    views.add(new SwarmView(HexFormat.of().formatHex(key.infoHash().getBytes(StandardCharsets.ISO_8859_1)),
                            members.size(), seeders, nats));
                }
            }
        });
        views.sort(Comparator.comparingInt(SwarmView::peers).reversed());
        return views;
    }

    private record StreamKey(UUID tenantId, UUID streamId) {
    }
}
