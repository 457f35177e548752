package io.meshcp.signaling;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.meshcp.apikeys.ApiKeys;
import io.meshcp.player.Cohort;
import io.meshcp.policies.EffectivePolicy;
import io.meshcp.policies.KillSwitchScope;
import io.meshcp.policies.PolicyResolver;
import io.meshcp.shared.problems.RetryLaterException;
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
 * speak it, with each stream's policy enforced: who may join (the token), how much one session and one client
 * address may hold, who is matched with whom (NAT types, peer limits per viewer and device class, minimum swarm
 * size), how long a socket lives (its token, renewed by fresh ones in its announces) and when matching stops (kill
 * switch, p2p turned off, sensitive stream, a revoked key). Connected peers are told of such changes as they
 * happen ({@link #recheck}), not at their next announce, and their sockets end. docs/signaling.md describes the
 * protocol and its limits.
 */
@Component
class Tracker {

    /** Checks of an expiry a clock behind the scheduler's has not reached yet come back no sooner than this. */
    private static final long MIN_EXPIRY_CHECK_MILLIS = 1000;

    private final Swarms swarms;

    private final SignalingTokens tokens;

    private final PolicyResolver policies;

    private final StreamDirectory streams;

    private final SignalingProperties properties;

    private final JsonMapper json;

    private final MeterRegistry meters;

    private final Messages messages;

    private final ApiKeys apiKeys;

    private final Clock clock;

    private final Map<UUID, Integer> connectionsByTenant = new ConcurrentHashMap<>();

    private final Map<SessionKey, Integer> connectionsBySession = new ConcurrentHashMap<>();

    private final Map<String, Integer> connectionsByAddress = new ConcurrentHashMap<>();

    private final Map<StreamKey, Set<PeerConnection>> connectionsByStream = new ConcurrentHashMap<>();

    private final Map<String, Set<PeerConnection>> connectionsByKey = new ConcurrentHashMap<>();

    // What each stream's peers were last told (or would have been): a change is what gets told.
    private final Map<StreamKey, Verdict> verdicts = new ConcurrentHashMap<>();

    private final AtomicInteger connections = new AtomicInteger();

    private final Counter announces;

    private final Counter offersRelayed;

    private final Counter answersRelayed;

    private final SignalingMinutes minutes;

    Tracker(Swarms swarms, SignalingTokens tokens, PolicyResolver policies, StreamDirectory streams,
            ApiKeys apiKeys, SignalingProperties properties, MeterRegistry meters, Clock clock,
            SignalingMinutes minutes) {
        this.swarms = swarms;
        this.minutes = minutes;
        this.clock = clock;
        this.apiKeys = apiKeys;
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
        // Each refusal a peer is told has a series from the start, so that an alert on it sees zero, not nothing.
        for (Refusal refusal : Refusal.values()) {
            meters.counter("meshcp.signaling.refusals", "reason", refusal.name());
        }
    }

    /**
     * Checks a new socket from {@code address}: its token, and the places its address, its session and its tenant
     * hold on this node. A refused socket is answered when it first speaks: the refusal must carry the
     * {@code info_hash} of the announce it answers, or WebTorrent clients cannot read it. Until it is closed it
     * counts against its address, so a flood of refused sockets is bounded too.
     */
    SignalingTokens.Check admit(PeerConnection connection, String token, String address) {
        if (!take(connectionsByAddress, address, properties.maxConnectionsPerAddress())) {
            refused(Refusal.ADDRESS_CONNECTIONS.name());
            return SignalingTokens.Check.refused(Refusal.ADDRESS_CONNECTIONS);
        }
        connection.countedAt(address);
        SignalingTokens.Check check = tokens.check(token);
        SignalingClaims claims = check.claims();
        Refusal refusal = check.refusal();
        if (refusal == null && claims.cohort() == Cohort.HOLDOUT) {
            refusal = Refusal.HOLDOUT_COHORT;
        }
        if (refusal == null) {
            SessionKey session = SessionKey.of(claims);
            if (!take(connectionsBySession, session, properties.maxConnectionsPerSession())) {
                refusal = Refusal.SESSION_CONNECTIONS;
            }
            else if (!take(connectionsByTenant, claims.tenantId(), properties.maxConnectionsPerTenant())) {
                give(connectionsBySession, session);
                refusal = Refusal.TENANT_CONNECTIONS;
            }
        }
        if (refusal != null) {
            refused(refusal.name());
            minutes.refused(claims, refusal);
            return SignalingTokens.Check.refused(refusal);
        }
        minutes.admitted(claims);
        connections.incrementAndGet();
        connectionsByStream.computeIfAbsent(new StreamKey(claims.tenantId(), claims.streamId()),
                key -> ConcurrentHashMap.newKeySet()).add(connection);
        if (claims.keyHash() != null) {
            connectionsByKey.computeIfAbsent(claims.keyHash(), key -> ConcurrentHashMap.newKeySet()).add(connection);
        }
        return check;
    }

    /** Answers the first message of a refused socket with its refusal (and the message's info_hash), then closes. */
    void answerRefused(PeerConnection connection, Refusal refusal, byte[] text) {
        JsonNode message;
        try {
            message = json.readTree(text);
        }
        catch (JacksonException e) {
            message = null;
        }
        String action = message != null && message.path("action").asString("").equals("scrape") ? "scrape"
                : "announce";
        String infoHash = message == null ? null : binaryId(message.get("info_hash"));
        connection.send(messages.failure(action, infoHash, reason(refusal, connection)));
        connection.close(WebSocketCloseStatus.POLICY_VIOLATION, refusal.closeReason());
    }

    /**
     * Watches the admitted socket's token: when it expires without the peer having sent a fresh one for the same
     * viewer ({@link #renew}), the socket ends with {@code TOKEN_EXPIRED}, so a token lifted from a page is good for
     * its own lifetime and no longer, and its holder must come back to client-config, which checks the key again.
     */
    void watchExpiry(PeerConnection connection) {
        long left = Duration.between(clock.instant(), connection.claims().expiresAt()).toMillis();
        connection.scheduleExpiryCheck(() -> {
            if (connection.claims().expiresAt().isAfter(clock.instant())) {
                watchExpiry(connection);
            }
            else {
                end(connection, Refusal.TOKEN_EXPIRED);
            }
        }, Math.max(left, MIN_EXPIRY_CHECK_MILLIS));
    }

    void disconnected(PeerConnection connection) {
        if (connection.address() != null) {
            give(connectionsByAddress, connection.address());
        }
        SignalingClaims claims = connection.claims();
        if (claims == null) {
            return;
        }
        connections.decrementAndGet();
        give(connectionsByTenant, claims.tenantId());
        give(connectionsBySession, SessionKey.of(claims));
        StreamKey stream = new StreamKey(claims.tenantId(), claims.streamId());
        connectionsByStream.computeIfPresent(stream, (key, set) -> {
            set.remove(connection);
            if (set.isEmpty()) {
                verdicts.remove(key);
                return null;
            }
            return set;
        });
        if (claims.keyHash() != null) {
            connectionsByKey.computeIfPresent(claims.keyHash(), (key, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
        }
        leaveAll(connection);
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
        JsonNode freshToken = message.get("token");
        if (freshToken != null) {
            renew(connection, freshToken);
        }
        SignalingClaims claims = connection.claims();
        SwarmKey swarm = swarm(claims, infoHash);
        EffectivePolicy policy = policies.resolve(claims.tenantId(), claims.streamId());
        Refusal stop = refusal(claims, policy);
        if (stop != null) {
            leave(connection, swarm, peerId);
            refused(stop.name());
            minutes.refused(claims, stop);
            connection.send(messages.failure(infoHash, reason(stop, connection)));
            connection.close(WebSocketCloseStatus.POLICY_VIOLATION, stop.closeReason());
            return;
        }
        connection.links().limit(policy.maxPeersFor(claims.device()));
        if (message.has("answer")) {
            answer(connection, swarm, peerId, message);
            return;
        }
        String event = message.path("event").asString("");
        if (event.equals("stopped")) {
            leave(connection, swarm, peerId);
            connection.send(announceReply(swarm, policy));
            return;
        }
        String previous = connection.peerIdIn(infoHash);
        if (previous != null && !previous.equals(peerId)) {
            refused("PEER_ID_REPLACED");
            leave(connection, swarm, previous);
        }
        if (!connection.owns(infoHash, peerId) && connection.memberships() >= properties.maxSwarmsPerConnection()) {
            refused("TOO_MANY_SWARMS");
            connection.send(messages.failure(infoHash, "too many swarms on one connection"));
            return;
        }
        boolean seeder = event.equals("completed") || message.path("left").asLong(-1) == 0;
        Swarms.Member self = new Swarms.Member(peerId, claims.nat(), seeder, connection);
        if (!swarms.join(swarm, self) && !takeOver(swarm, self)) {
            refused("PEER_ID_IN_USE");
            connection.send(messages.failure(infoHash, "peer_id is in use by another connection"));
            return;
        }
        connection.joined(infoHash, peerId);
        connection.send(announceReply(swarm, policy));
        relayOffers(connection, swarm, self, policy, message);
    }

    private void relayOffers(PeerConnection connection, SwarmKey swarm, Swarms.Member self, EffectivePolicy policy,
            JsonNode message) {
        JsonNode offers = message.get("offers");
        if (offers == null || !offers.isArray() || offers.isEmpty()) {
            return;
        }
        int wanted = message.path("numwant").isNumber() ? message.path("numwant").asInt() : offers.size();
        // maxPeers is the viewer's total: the peers it is paired with and its offers in flight count against it.
        int limit = Math.min(Math.min(wanted, offers.size()), Math.min(properties.maxOffersPerAnnounce(),
                connection.links().free()));
        if (limit <= 0) {
            return;
        }
        // Some of those picked may be full or paired with this peer already: pick a few spare.
        CompletableFuture<List<Swarms.Member>> picked = swarms.pick(swarm, self, 2 * limit);
        // Picked at once from this node's memory (always without Redis): relayed in the same event-loop turn.
        // When other nodes' members had to be read, the relaying goes back to this peer's event loop, the only
        // thread that touches its connection's state; if the peer has gone by then, its offers go nowhere.
        if (picked.isDone()) {
            relayOffers(connection, swarm, self, policy, offers, limit, picked.join());
        }
        else {
            picked.thenAccept(targets -> connection.execute(
                    () -> relayOffers(connection, swarm, self, policy, offers, limit, targets)));
        }
    }

    private void relayOffers(PeerConnection connection, SwarmKey swarm, Swarms.Member self, EffectivePolicy policy,
            JsonNode offers, int limit, List<Swarms.Member> targets) {
        // Counted after picking, so that with several nodes the size includes what was just read from the others.
        if (swarms.size(swarm) < policy.values().minSwarmSize() || !connection.owns(swarm.infoHash(), self.peerId())) {
            return;
        }
        long expires = System.nanoTime() + properties.offerTtl().toNanos();
        int relayed = 0;
        for (int t = 0; t < targets.size() && relayed < limit; t++) {
            JsonNode offer = offers.get(relayed);
            String offerId = offer.path("offer_id").asString(null);
            String sdp = sdp(offer.get("offer"), "offer");
            if (offerId == null || offerId.length() > 64 || sdp == null) {
                malformed(connection, swarm.infoHash(), "each offer needs an offer_id and an SDP offer");
                return;
            }
            Swarms.Member target = targets.get(t);
            if (!connection.links().reserveOffer(self.peerId(), offerId, swarm.infoHash(), target.peerId(), expires)) {
                continue;
            }
            if (swarms.offer(swarm, target, self.peerId(), offerId, expires,
                    messages.offer(swarm.infoHash(), self.peerId(), offerId, sdp))) {
                offersRelayed.increment();
                relayed++;
            }
            else {
                connection.links().cancelOffer(self.peerId(), offerId);
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
        PeerLinks.PendingOffer offer = connection.links().takeOffer(peerId, offerId);
        if (offer == null || !offer.fromPeerId().equals(toPeerId) || !offer.infoHash().equals(swarm.infoHash())) {
            if (offer != null) {
                connection.links().unpair(offer.infoHash(), offer.fromPeerId());
            }
            refused("UNKNOWN_OFFER");
            connection.send(messages.warning(swarm.infoHash(), "answer to an unknown or expired offer; ignored"));
            return;
        }
        if (swarms.answer(swarm, toPeerId, peerId, offerId, offer.fromNode(),
                messages.answer(swarm.infoHash(), peerId, offerId, sdp))) {
            answersRelayed.increment();
        }
        else {
            connection.links().unpair(swarm.infoHash(), toPeerId);
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

    /**
     * Tells each connected peer, within a sweep, what changed since the last one: matching stopped for its stream
     * (kill switch, p2p turned off, sensitive, gone), its token predates a kill switch, its key was revoked, or the
     * policy changed (so that its player asks client-config again). Runs on {@link TrackerWatch}'s thread; each
     * peer's own event loop does the telling.
     */
    void recheck() {
        connectionsByStream.forEach(this::recheck);
        connectionsByKey.forEach(this::recheckKey);
    }

    /** Rechecks the streams of one tenant, or one stream; for changes this node hears of as they commit. */
    void recheck(UUID tenantId, UUID streamId) {
        connectionsByStream.forEach((stream, peers) -> {
            if (stream.tenantId().equals(tenantId) && (streamId == null || stream.streamId().equals(streamId))) {
                recheck(stream, peers);
            }
        });
    }

    /** Rechecks the sockets that hold tokens of one key. */
    void recheckKey(String keyHash) {
        Set<PeerConnection> peers = connectionsByKey.get(keyHash);
        if (peers != null) {
            recheckKey(keyHash, peers);
        }
    }

    private void recheck(StreamKey key, Set<PeerConnection> peers) {
        Verdict now;
        try {
            StreamView stream = streams.byId(key.tenantId(), key.streamId()).orElse(null);
            EffectivePolicy policy = policies.resolve(key.tenantId(), key.streamId());
            now = new Verdict(policy.version(), stopReason(stream, policy), policy.killSwitchEpoch());
        }
        catch (RetryLaterException e) {
            // The database is away and this stream was never read: nothing is known to have changed.
            return;
        }
        Verdict before = verdicts.put(key, now);
        if (now.equals(before)) {
            return;
        }
        for (PeerConnection peer : peers) {
            peer.execute(() -> tell(peer, now));
        }
    }

    private void recheckKey(String keyHash, Set<PeerConnection> peers) {
        boolean usable;
        try {
            usable = apiKeys.usable(keyHash);
        }
        catch (RetryLaterException e) {
            return;
        }
        if (!usable) {
            for (PeerConnection peer : peers) {
                peer.execute(() -> end(peer, Refusal.KEY_REVOKED));
            }
        }
    }

    private void tell(PeerConnection peer, Verdict now) {
        Refusal refusal = now.stop() != null ? now.stop()
                : peer.claims().killSwitchEpoch() < now.killSwitchEpoch() ? Refusal.TOKEN_SUPERSEDED : null;
        if (refusal != null) {
            end(peer, refusal);
        }
        else if (!now.policyVersion().equals(peer.policyVersionTold())) {
            peer.policyVersionTold(now.policyVersion());
            for (String infoHash : peer.peerIdBySwarm().keySet()) {
                peer.send(messages.warning(infoHash, "the stream's policy changed; ask client-config again "
                        + "(POLICY_CHANGED)"));
            }
        }
    }

    /**
     * Tells the peer the refusal in each of its swarms (a WebTorrent client reads a refusal only with an info hash),
     * takes it out of them, and closes its socket.
     */
    private void end(PeerConnection peer, Refusal refusal) {
        for (String infoHash : List.copyOf(peer.peerIdBySwarm().keySet())) {
            peer.send(messages.failure(infoHash, reason(refusal, peer)));
        }
        refused(refusal.name());
        minutes.refused(peer.claims(), refusal);
        leaveAll(peer);
        peer.close(WebSocketCloseStatus.POLICY_VIOLATION, refusal.closeReason());
    }

    /**
     * Warns every peer that this node is going away before its socket is closed (1001): WebTorrent clients hear
     * nothing of a clean close and reconnect minutes later, while the player SDK, warned, reconnects at once.
     */
    void goingAway() {
        connectionsByStream.values().forEach(peers -> peers.forEach(peer -> peer.execute(() -> {
            for (String infoHash : peer.peerIdBySwarm().keySet()) {
                peer.send(messages.warning(infoHash, "server restarting; reconnect (TRACKER_RESTARTING)"));
            }
        })));
    }

    /** Frees the slots of pairings with peers on other nodes that are no longer in their swarm. */
    void forgetRemotePartnersGone() {
        connectionsByStream.forEach((stream, peers) -> peers.forEach(peer -> {
            for (String[] partner : peer.links().remotePartners()) {
                SwarmKey swarm = new SwarmKey(stream.tenantId(), stream.streamId(), partner[0]);
                if (!swarms.present(swarm, partner[1], partner[2])) {
                    peer.links().unpair(partner[0], partner[1]);
                }
            }
        }));
    }

    /**
     * Adopts a fresh token sent in an announce's {@code token} field, as the player SDK does with each token
     * client-config gives it, so a long session's socket outlives its first token. Only a valid token of the same
     * viewer (tenant, stream, session, key) is taken; any other changes nothing and is counted.
     */
    private void renew(PeerConnection connection, JsonNode token) {
        SignalingClaims current = connection.claims();
        SignalingClaims fresh = token.isString() ? tokens.check(token.asString()).claims() : null;
        if (fresh == null || !fresh.tenantId().equals(current.tenantId()) || !fresh.streamId().equals(current.streamId())
                || !fresh.session().equals(current.session()) || !Objects.equals(fresh.keyHash(), current.keyHash())) {
            refused("RENEWAL_REFUSED");
            return;
        }
        if (fresh.expiresAt().isAfter(current.expiresAt())) {
            connection.renew(fresh);
        }
    }

    /** Why this token may not be matched in its stream now, or null while p2p is allowed. */
    private Refusal refusal(SignalingClaims claims, EffectivePolicy policy) {
        if (!claims.expiresAt().isAfter(clock.instant())) {
            return Refusal.TOKEN_EXPIRED;
        }
        if (claims.cohort() == Cohort.HOLDOUT) {
            return Refusal.HOLDOUT_COHORT;
        }
        Refusal stop = stopReason(streams.byId(claims.tenantId(), claims.streamId()).orElse(null), policy);
        if (stop != null) {
            return stop;
        }
        return claims.killSwitchEpoch() < policy.killSwitchEpoch() ? Refusal.TOKEN_SUPERSEDED : null;
    }

    /** Why matching must stop for this stream now, or null while p2p is allowed. */
    private static Refusal stopReason(StreamView stream, EffectivePolicy policy) {
        if (stream == null || stream.archived()) {
            return Refusal.STREAM_GONE;
        }
        if (stream.sensitive()) {
            return Refusal.STREAM_SENSITIVE;
        }
        if (policy.killed()) {
            return policy.killSwitch() == KillSwitchScope.AUTO_GUARD ? Refusal.AUTO_GUARD : Refusal.KILL_SWITCH;
        }
        if (!policy.values().p2pEnabled()) {
            return Refusal.P2P_DISABLED;
        }
        return null;
    }

    private static String reason(Refusal refusal, PeerConnection connection) {
        return refusal.name().startsWith("TOKEN_") ? refusal.reason(connection.tokenFingerprint()) : refusal.reason();
    }

    private void leaveAll(PeerConnection connection) {
        SignalingClaims claims = connection.claims();
        connection.peerIdBySwarm().forEach((infoHash, peerId) -> {
            SwarmKey swarm = swarm(claims, infoHash);
            swarms.leave(swarm, peerId, connection);
            unpairPartners(connection, swarm, peerId);
        });
        connection.peerIdBySwarm().clear();
    }

    /**
     * The same viewer (the same organisation and playback session) on a new socket of this node takes its peer_id
     * back from its old one: a player that reconnected while its old socket is not yet seen to be gone (a network
     * change leaves it half open for up to three ping intervals), or whose stream loader opened a second one. Refused,
     * it would reconnect again and again and find no peer until the old socket timed out. Another viewer's socket
     * keeps its peer_id, so nobody can take over a peer's offers; so does one on another node, whose session this
     * node cannot see.
     */
    private boolean takeOver(SwarmKey swarm, Swarms.Member self) {
        Swarms.Member holder = swarms.member(swarm, self.peerId());
        PeerConnection old = holder == null ? null : holder.connection();
        if (old == null || old == self.connection()
                || !SessionKey.of(old.claims()).equals(SessionKey.of(self.connection().claims()))) {
            return false;
        }
        String peerId = self.peerId();
        // The swarm's record decides, not the old socket's: its state is touched only on its own thread, which
        // forgets the membership there, unless the old socket has announced it again meanwhile.
        swarms.leave(swarm, peerId, old);
        refused("PEER_ID_REPLACED");
        old.execute(() -> {
            Swarms.Member now = swarms.member(swarm, peerId);
            if ((now == null || now.connection() != old) && old.left(swarm.infoHash(), peerId)) {
                unpairPartners(old, swarm, peerId);
            }
        });
        return swarms.join(swarm, self);
    }

    private void leave(PeerConnection connection, SwarmKey swarm, String peerId) {
        if (connection.left(swarm.infoHash(), peerId)) {
            swarms.leave(swarm, peerId, connection);
            unpairPartners(connection, swarm, peerId);
        }
    }

    /** The peers here that were paired with one that left get their slot back at once (other nodes' by sweep). */
    private void unpairPartners(PeerConnection connection, SwarmKey swarm, String peerId) {
        connection.links().leave(swarm.infoHash()).forEach((partnerId, node) -> {
            if (node == null) {
                Swarms.Member partner = swarms.member(swarm, partnerId);
                if (partner != null && partner.connection() != null) {
                    partner.connection().links().unpair(swarm.infoHash(), peerId);
                }
            }
        });
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

    /**
     * Below the minimum swarm size nobody is matched yet, so peers are asked back sooner than usual: the swarm
     * forms within that interval once it is big enough, instead of at the next regular announce.
     */
    private byte[] announceReply(SwarmKey swarm, EffectivePolicy policy) {
        int[] counts = swarms.counts(swarm);
        int interval = counts[0] + counts[1] < policy.values().minSwarmSize()
                ? properties.smallSwarmAnnounceInterval() : properties.announceInterval();
        return messages.announceReply(swarm.infoHash(), interval, counts);
    }

    private static SwarmKey swarm(SignalingClaims claims, String infoHash) {
        return new SwarmKey(claims.tenantId(), claims.streamId(), infoHash);
    }

    /** Takes one of {@code limit} places of {@code key}; false when all are taken. */
    private static <K> boolean take(Map<K, Integer> places, K key, int limit) {
        boolean[] took = {false};
        // Atomic per key, so a place given back at the same moment cannot be lost.
        places.compute(key, (k, taken) -> {
            int count = taken == null ? 0 : taken;
            took[0] = count < limit;
            return took[0] ? count + 1 : taken;
        });
        return took[0];
    }

    private static <K> void give(Map<K, Integer> places, K key) {
        places.computeIfPresent(key, (k, taken) -> taken <= 1 ? null : taken - 1);
    }

    private record StreamKey(UUID tenantId, UUID streamId) {
    }

    /** One viewer: a playback session of an organisation, whichever tokens and sockets it has. */
    private record SessionKey(UUID tenantId, String session) {

        static SessionKey of(SignalingClaims claims) {
            return new SessionKey(claims.tenantId(), claims.session());
        }
    }

    /** What a stream's peers were last told: the policy version, why matching stops (null: it does not), the epoch. */
    private record Verdict(String policyVersion, Refusal stop, long killSwitchEpoch) {

        Verdict {
            Objects.requireNonNull(policyVersion);
        }
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
