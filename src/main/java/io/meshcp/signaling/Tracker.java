package io.meshcp.signaling;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshcp.policies.DeviceClass;
import io.meshcp.policies.EffectivePolicy;
import io.meshcp.policies.PolicyResolver;
import io.meshcp.streams.StreamDirectory;
import io.meshcp.streams.StreamView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.JsonRecyclerPools;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WebTorrent tracker protocol as the npm {@code bittorrent-tracker} client and p2p-media-loader
 * speak it, with each stream's policy enforced: who may join (the token), who is matched with whom
 * (NAT types, peer limits per device class, minimum swarm size), and when matching stops (kill switch,
 * p2p turned off, sensitive stream). docs/signaling.md describes the protocol and its limits.
 */
@Component
class Tracker {

    private final Swarms swarms;

    private final SignalingTokens tokens;

    private final PolicyResolver policies;

    private final StreamDirectory streams;

    private final SignalingProperties properties;

    private final JsonMapper json;

    private final MeterRegistry meters;

    private final Messages messages;

    private final Map<UUID, AtomicInteger> connectionsByTenant = new ConcurrentHashMap<>();

    private final AtomicInteger connections = new AtomicInteger();

    private final Counter announces;

    private final Counter offersRelayed;

    private final Counter answersRelayed;

    Tracker(Swarms swarms, SignalingTokens tokens, PolicyResolver policies, StreamDirectory streams,
            SignalingProperties properties, MeterRegistry meters) {
        this.swarms = swarms;
        this.tokens = tokens;
        this.policies = policies;
        this.streams = streams;
        this.properties = properties;
        // The event-loop threads are few and live as long as the server: parser buffers are kept per thread.
        this.json = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.threadLocalPool()).build())
                .build();
        this.meters = meters;
        this.messages = new Messages(json);
        meters.gauge("meshcp.signaling.connections", connections);
        this.announces = meters.counter("meshcp.signaling.announces");
        this.offersRelayed = meters.counter("meshcp.signaling.offers.relayed");
        this.answersRelayed = meters.counter("meshcp.signaling.answers.relayed");
    }

    /** Checks a new socket's token; a refused socket gets a failure reason and is closed. */
    SignalingClaims admit(PeerConnection connection, String token) {
        SignalingClaims claims = tokens.verify(token).orElse(null);
        String refusal = claims == null ? "invalid or expired token; ask client-config for a new one"
                : "holdout".equals(claims.cohort()) ? "this session is in the holdout cohort and uses no p2p" : null;
        if (refusal == null) {
            AtomicInteger tenantConnections = connectionsByTenant.computeIfAbsent(claims.tenantId(),
                    id -> new AtomicInteger());
            if (tenantConnections.incrementAndGet() > properties.maxConnectionsPerTenant()) {
                tenantConnections.decrementAndGet();
                refusal = "too many connections for this organisation";
            }
        }
        if (refusal != null) {
            refused(claims == null ? "TOKEN" : "holdout".equals(claims.cohort()) ? "HOLDOUT" : "TENANT_CONNECTIONS");
            connection.send(messages.failure(null, refusal));
            connection.close(WebSocketCloseStatus.POLICY_VIOLATION, refusal);
            return null;
        }
        connections.incrementAndGet();
        return claims;
    }

    void disconnected(PeerConnection connection) {
        SignalingClaims claims = connection.claims();
        if (claims == null) {
            return;
        }
        connections.decrementAndGet();
        connectionsByTenant.computeIfPresent(claims.tenantId(), (id, count) -> count.decrementAndGet() <= 0 ? null
                : count);
        connection.peerIdsBySwarm().forEach((infoHash, peerIds) -> peerIds.forEach(peerId -> swarms.leave(
                swarm(claims, infoHash), peerId, connection)));
        connection.peerIdsBySwarm().clear();
    }

    void handle(PeerConnection connection, byte[] text) {
        if (!connection.allowMessage(properties.messagesPerSecond())) {
            refused("RATE_LIMIT");
            connection.close(WebSocketCloseStatus.POLICY_VIOLATION, "too many messages");
            return;
        }
        JsonNode message;
        try {
            message = json.readTree(text);
        }
        catch (JacksonException e) {
            malformed(connection, null, "invalid JSON");
            return;
        }
        if (!message.isObject()) {
            malformed(connection, null, "a message must be a JSON object");
            return;
        }
        String action = message.path("action").asString("");
        switch (action) {
            case "announce" -> announce(connection, message);
            case "scrape" -> scrape(connection, message);
            default -> malformed(connection, null, "unknown action");
        }
    }

    private void announce(PeerConnection connection, JsonNode message) {
        String infoHash = binaryId(message.get("info_hash"));
        String peerId = binaryId(message.get("peer_id"));
        if (infoHash == null || peerId == null) {
            malformed(connection, infoHash, "info_hash and peer_id must be 20-character strings");
            return;
        }
        announces.increment();
        SignalingClaims claims = connection.claims();
        SwarmKey swarm = swarm(claims, infoHash);
        EffectivePolicy policy = policies.resolve(claims.tenantId(), claims.streamId());
        String stopReason = stopReason(claims, policy);
        if (stopReason != null) {
            leave(connection, swarm, peerId);
            refused("POLICY");
            connection.send(messages.failure(infoHash, stopReason));
            return;
        }
        if (message.has("answer")) {
            answer(connection, swarm, peerId, message);
            return;
        }
        String event = message.path("event").asString("");
        if (event.equals("stopped")) {
            leave(connection, swarm, peerId);
            connection.send(announceReply(swarm));
            return;
        }
        if (!connection.owns(infoHash, peerId) && connection.memberships() >= properties.maxSwarmsPerConnection()) {
            refused("TOO_MANY_SWARMS");
            connection.send(messages.failure(infoHash, "too many swarms on one connection"));
            return;
        }
        boolean seeder = event.equals("completed") || message.path("left").asLong(-1) == 0;
        Swarms.Member self = new Swarms.Member(peerId, claims.nat(), seeder, connection);
        if (!swarms.join(swarm, self)) {
            refused("PEER_ID_IN_USE");
            connection.send(messages.failure(infoHash, "peer_id is in use by another connection"));
            return;
        }
        connection.joined(infoHash, peerId);
        connection.send(announceReply(swarm));
        relayOffers(connection, swarm, self, policy, message);
    }

    private void relayOffers(PeerConnection connection, SwarmKey swarm, Swarms.Member self, EffectivePolicy policy,
            JsonNode message) {
        JsonNode offers = message.get("offers");
        if (offers == null || !offers.isArray() || offers.isEmpty()) {
            return;
        }
        int wanted = message.path("numwant").isNumber() ? message.path("numwant").asInt() : offers.size();
        int limit = Math.min(Math.min(wanted, offers.size()), Math.min(properties.maxOffersPerAnnounce(),
                policy.maxPeersFor(device(connection.claims()))));
        CompletableFuture<List<Swarms.Member>> picked = swarms.pick(swarm, self, limit);
        // Picked at once from this node's memory (always without Redis): relayed in the same event-loop turn.
        // When other nodes' members had to be read, the relaying goes back to this peer's event loop, the only
        // thread that touches its connection's state; if the peer has gone by then, its offers go nowhere.
        if (picked.isDone()) {
            relayOffers(connection, swarm, self, policy, offers, picked.join());
        }
        else {
            picked.thenAccept(targets -> connection.execute(
                    () -> relayOffers(connection, swarm, self, policy, offers, targets)));
        }
    }

    private void relayOffers(PeerConnection connection, SwarmKey swarm, Swarms.Member self, EffectivePolicy policy,
            JsonNode offers, List<Swarms.Member> targets) {
        // Counted after picking, so that with several nodes the size includes what was just read from the others.
        if (swarms.size(swarm) < policy.values().minSwarmSize() || !connection.owns(swarm.infoHash(), self.peerId())) {
            return;
        }
        long expires = System.nanoTime() + properties.offerTtl().toNanos();
        for (int i = 0; i < targets.size(); i++) {
            JsonNode offer = offers.get(i);
            String offerId = offer.path("offer_id").asString(null);
            String sdp = sdp(offer.get("offer"), "offer");
            if (offerId == null || offerId.length() > 64 || sdp == null) {
                malformed(connection, swarm.infoHash(), "each offer needs an offer_id and an SDP offer");
                return;
            }
            if (swarms.offer(swarm, targets.get(i), self.peerId(), offerId, expires,
                    messages.offer(swarm.infoHash(), self.peerId(), offerId, sdp))) {
                offersRelayed.increment();
            }
        }
    }

    private void answer(PeerConnection connection, SwarmKey swarm, String peerId, JsonNode message) {
        String toPeerId = binaryId(message.get("to_peer_id"));
        String offerId = message.path("offer_id").asString(null);
        String sdp = sdp(message.get("answer"), "answer");
        if (toPeerId == null || offerId == null || sdp == null) {
            malformed(connection, swarm.infoHash(), "an answer needs to_peer_id, offer_id and an SDP answer");
            return;
        }
        if (!connection.owns(swarm.infoHash(), peerId)) {
            refused("ANSWER_NOT_IN_SWARM");
            connection.send(messages.failure(swarm.infoHash(), "announce before answering"));
            return;
        }
        PeerConnection.PendingOffer offer = connection.takeOffer(peerId, offerId);
        if (offer == null || !offer.fromPeerId().equals(toPeerId) || !offer.infoHash().equals(swarm.infoHash())) {
            refused("UNKNOWN_OFFER");
            connection.send(messages.warning(swarm.infoHash(), "answer to an unknown or expired offer; ignored"));
            return;
        }
        if (swarms.answer(swarm, toPeerId, offer.fromNode(), messages.answer(swarm.infoHash(), peerId, offerId, sdp))) {
            answersRelayed.increment();
        }
    }

    private void scrape(PeerConnection connection, JsonNode message) {
        JsonNode hashes = message.get("info_hash");
        ObjectNode files = json.createObjectNode();
        List<JsonNode> requested = hashes == null ? List.of() : hashes.isArray() ? hashes.valueStream().toList()
                : List.of(hashes);
        if (requested.size() > properties.maxSwarmsPerConnection()) {
            malformed(connection, null, "too many info hashes in one scrape");
            return;
        }
        for (JsonNode hash : requested) {
            String infoHash = binaryId(hash);
            if (infoHash == null) {
                malformed(connection, null, "info_hash must be a 20-character string");
                return;
            }
            int[] counts = swarms.counts(swarm(connection.claims(), infoHash));
            ObjectNode file = files.putObject(infoHash);
            file.put("complete", counts[0]);
            file.put("incomplete", counts[1]);
            file.put("downloaded", 0);
        }
        ObjectNode reply = json.createObjectNode();
        reply.put("action", "scrape");
        reply.set("files", files);
        connection.send(json.writeValueAsBytes(reply));
    }

    /** Why matching must stop for this stream now, or null while p2p is allowed. */
    private String stopReason(SignalingClaims claims, EffectivePolicy policy) {
        StreamView stream = streams.byId(claims.tenantId(), claims.streamId()).orElse(null);
        if (stream == null || stream.archived()) {
            return "the stream no longer exists";
        }
        if (stream.sensitive()) {
            return "p2p is off for this stream (STREAM_SENSITIVE)";
        }
        if (policy.killed()) {
            return "p2p is off for this stream (KILL_SWITCH)";
        }
        if (!policy.values().p2pEnabled()) {
            return "p2p is off for this stream (P2P_DISABLED)";
        }
        return null;
    }

    private void leave(PeerConnection connection, SwarmKey swarm, String peerId) {
        if (connection.left(swarm.infoHash(), peerId)) {
            swarms.leave(swarm, peerId, connection);
        }
    }

    private void malformed(PeerConnection connection, String infoHash, String reason) {
        refused("MALFORMED");
        if (connection.strike()) {
            connection.close(WebSocketCloseStatus.POLICY_VIOLATION, "too many malformed messages");
        }
        else {
            connection.send(messages.failure(infoHash, reason));
        }
    }

    void refused(String reason) {
        meters.counter("meshcp.signaling.refusals", "reason", reason).increment();
    }

    private byte[] announceReply(SwarmKey swarm) {
        return messages.announceReply(swarm.infoHash(), properties.announceInterval(), swarms.counts(swarm));
    }

    private static SwarmKey swarm(SignalingClaims claims, String infoHash) {
        return new SwarmKey(claims.tenantId(), claims.streamId(), infoHash);
    }

    private static DeviceClass device(SignalingClaims claims) {
        return DeviceClass.valueOf(claims.device().toUpperCase(Locale.ROOT));
    }

    /** Info hashes and peer ids are 20-byte values sent as 20-character "binary" strings. */
    private static String binaryId(JsonNode node) {
        if (node == null || !node.isString()) {
            return null;
        }
        String value = node.asString();
        if (value.length() != 20) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) > 0xFF) {
                return null;
            }
        }
        return value;
    }

    /** The SDP text of an offer or answer object, or null when it is not one. */
    private static String sdp(JsonNode node, String type) {
        if (node == null || !node.isObject() || !type.equals(node.path("type").asString(""))
                || !node.path("sdp").isString()) {
            return null;
        }
        String sdp = node.path("sdp").asString();
        return sdp.length() < 16_384 ? sdp : null;
    }
}
