package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/** Swarms of this node, in memory. Empty swarms are removed at once, so memory follows live peers. */
@Component
class LocalSwarms implements Swarms {

    private final Map<SwarmKey, Map<String, Member>> swarms = new ConcurrentHashMap<>();

    // Kept alongside the swarms so client-config can ask a stream's size without scanning every swarm.
    private final Map<StreamKey, AtomicInteger> streamPeers = new ConcurrentHashMap<>();

    @Override
    public boolean join(SwarmKey swarm, Member member) {
        boolean[] joined = {false};
        swarms.compute(swarm, (key, members) -> {
            Map<String, Member> map = members == null ? new ConcurrentHashMap<>() : members;
            Member existing = map.get(member.peerId());
            if (existing == null || existing.connection() == member.connection()) {
                map.put(member.peerId(), member);
                joined[0] = true;
                if (existing == null) {
                    streamPeers.computeIfAbsent(new StreamKey(key.tenantId(), key.streamId()),
                            stream -> new AtomicInteger()).incrementAndGet();
                }
            }
            return map;
        });
        return joined[0];
    }

    @Override
    public void leave(SwarmKey swarm, String peerId, Object connection) {
        swarms.computeIfPresent(swarm, (key, members) -> {
            Member member = members.get(peerId);
            if (member != null && member.connection() == connection) {
                members.remove(peerId);
                streamPeers.computeIfPresent(new StreamKey(key.tenantId(), key.streamId()),
                        (stream, count) -> count.decrementAndGet() <= 0 ? null : count);
            }
            return members.isEmpty() ? null : members;
        });
    }

    @Override
    public List<Member> pick(SwarmKey swarm, Member self, int max) {
        Map<String, Member> members = swarms.get(swarm);
        if (members == null || max <= 0) {
            return List.of();
        }
        List<Member> candidates = new ArrayList<>(members.size());
        for (Member member : members.values()) {
            if (!member.peerId().equals(self.peerId()) && NatCompatibility.canConnect(self.nat(), member.nat())) {
                candidates.add(member);
            }
        }
        Collections.shuffle(candidates, ThreadLocalRandom.current());
        return candidates.size() <= max ? candidates : candidates.subList(0, max);
    }

    @Override
    public int size(SwarmKey swarm) {
        Map<String, Member> members = swarms.get(swarm);
        return members == null ? 0 : members.size();
    }

    @Override
    public int streamPeers(UUID tenantId, UUID streamId) {
        AtomicInteger count = streamPeers.get(new StreamKey(tenantId, streamId));
        return count == null ? 0 : count.get();
    }

    @Override
    public int[] counts(SwarmKey swarm) {
        Map<String, Member> members = swarms.get(swarm);
        if (members == null) {
            return new int[] {0, 0};
        }
        int seeders = 0;
        for (Member member : members.values()) {
            if (member.seeder()) {
                seeders++;
            }
        }
        return new int[] {seeders, members.size() - seeders};
    }

    @Override
    public boolean send(SwarmKey swarm, String peerId, String message) {
        Map<String, Member> members = swarms.get(swarm);
        Member member = members == null ? null : members.get(peerId);
        return member != null && member.connection().send(message);
    }

    // A scan of all swarms: fine for a dashboard that polls every few seconds, not for a hot path.
    @Override
    public List<SwarmView> ofStream(UUID tenantId, UUID streamId) {
        List<SwarmView> views = new ArrayList<>();
        swarms.forEach((key, members) -> {
            if (key.tenantId().equals(tenantId) && key.streamId().equals(streamId)) {
                Map<String, Integer> nats = new TreeMap<>();
                int seeders = 0;
                for (Member member : members.values()) {
                    nats.merge(member.nat(), 1, Integer::sum);
                    seeders += member.seeder() ? 1 : 0;
                }
                views.add(new SwarmView(HexFormat.of().formatHex(key.infoHash().getBytes(StandardCharsets.ISO_8859_1)),
                        members.size(), seeders, nats));
            }
        });
        views.sort(Comparator.comparingInt(SwarmView::peers).reversed());
        return views;
    }

    private record StreamKey(UUID tenantId, UUID streamId) {
    }
}
