package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.meshcp.cluster.ConditionalOnRedis;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Swarms shared by every node through Redis. Each node keeps its own peers in memory ({@link LocalSwarms}, which
 * holds their sockets) and writes a record of each to Redis: a sorted set per swarm, scored by when the record
 * expires, rewritten by the owning node every third of {@code membership-ttl}. A node that dies stops rewriting,
 * so its peers drop out of every other node's view within that time; nothing has to clean up after it. Offers and
 * answers for a peer on another node are published on that node's own channel, and it writes them to the socket.
 *
 * <p><b>No Redis wait on an event loop.</b> The tracker calls this on Netty event-loop threads, each serving
 * thousands of sockets, so a Redis round trip there would stall all of them. Every command goes out through
 * Lettuce's asynchronous API, which only queues it on Lettuce's own connection; replies complete on Lettuce's
 * threads, which do in-memory work only and hand the rest back to the peer's event loop. Other nodes' members of a
 * swarm are read once per {@code remote-view-max-age} and kept, so most picks need no Redis at all. At most
 * {@value #MAX_IN_FLIGHT} commands are outstanding, counted until Lettuce has their reply or gives up on them:
 * beyond that a write is left to the next refresh and a read uses what this node already knows, so a slow Redis
 * cannot make memory grow without bound. Threads that may wait (the refresh, client-config, the dashboard) wait
 * with a time limit.
 *
 * <p><b>Redis unavailable.</b> Redis counts as unavailable when a connection to it is lost (Lettuce says so at
 * once), or when the refresh thread's probe or writes fail or go unanswered for {@link #UNRESPONSIVE_AFTER}. One
 * late reply does not count: a caller that has waited {@link #COMMAND_TIMEOUT} goes on without it (a pick uses
 * this node's peers), and that is all. A slow moment (a GC pause, a busy shared core, a burst of writes) is no
 * outage, and treating it as one would cut the node off from the others until the next probe, dropping the
 * answers owed to their peers. While unavailable, other nodes' members are not read: peers are matched on this
 * node only, and the refresh thread probes every second. When Redis answers again it writes all of this node's
 * members, so the other nodes see them again. Writes, removals and relays still go out whenever the connection is
 * up: an answer published late still completes a connection where a dropped one never does, and a removal that
 * arrives stops other nodes offering a departed peer. Health shows {@code signaling} as {@code DEGRADED}, not
 * {@code DOWN}: the node still serves its own peers and must stay in the load balancer.
 */
@Component
@Primary
@ConditionalOnRedis
class RedisSwarms implements Swarms, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RedisSwarms.class);

    private static final int MAX_IN_FLIGHT = 10_000;

    /** How long a pick or the live view waits for a Redis reply before going on with what this node has. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    /**
     * How long the refresh thread's probe or writes may go unanswered before Redis counts as unavailable; also the
     * connection's command timeout, after which Lettuce gives up on a command and frees its place. Several probe
     * intervals, so that a slow moment is not taken for an outage while a real one is seen within seconds.
     */
    private static final Duration UNRESPONSIVE_AFTER = Duration.ofSeconds(3);

    /** How long client-config waits for other nodes' count of a stream it has not counted lately. */
    private static final Duration COUNT_WAIT = Duration.ofMillis(250);

    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);

    /** Members written by one script call; a huge swarm is written in several. */
    private static final int MEMBERS_PER_WRITE = 500;

    /**
     * Script calls a rewrite of all members keeps outstanding at once. A node in thousands of swarms would
     * otherwise queue thousands of calls ahead of every relay and read, or run out of {@link #MAX_IN_FLIGHT}.
     */
    private static final int WRITES_AT_ONCE = 64;


    private static final Swarm NOBODY = new Swarm();

    private final LocalSwarms local;

    private final LettuceConnectionFactory redisFactory;

    private final Duration membershipTtl;

    private final long viewMaxAgeNanos;

    /** This node's name in Redis: random per process, so a restarted node never inherits its old records. */
    private final String node = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(
            StandardCharsets.US_ASCII), 0, 8);

    private final JsonMapper json = JsonMapper.builder().build();

    private final Map<SwarmKey, CachedRead<Swarm>> views = new ConcurrentHashMap<>();

    private final Map<StreamKey, CachedRead<Long>> streamCounts = new ConcurrentHashMap<>();

    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    private volatile StatefulRedisConnection<String, String> connection;

    private volatile StatefulRedisPubSubConnection<String, byte[]> subscription;

    private volatile boolean available;

    private volatile ScheduledExecutorService refresher;

    private long refreshedAt;

    private boolean everShared;

    private boolean reportedUnreachable;

    RedisSwarms(LocalSwarms local, LettuceConnectionFactory redisFactory, SignalingProperties properties) {
        this.local = local;
        this.redisFactory = redisFactory;
        this.membershipTtl = properties.membershipTtl();
        this.viewMaxAgeNanos = properties.remoteViewMaxAge().toNanos();
    }

    /** Whether other nodes' peers are shared right now; false while Redis counts as unavailable. */
    boolean shared() {
        return available;
    }

    @Override
    public boolean join(SwarmKey swarm, Member member) {
        Member before = local.member(swarm, member.peerId());
        if (!local.join(swarm, member)) {
            return false;
        }
        // A re-announce changes nothing in Redis unless the peer became a seeder: the refresh keeps it alive.
        if (before == null || before.seeder() != member.seeder()) {
            register(swarm, before == null ? "" : SwarmRecords.of(node, before), List.of(member));
        }
        return true;
    }

    @Override
    public void leave(SwarmKey swarm, String peerId, PeerConnection connection) {
        Member member = local.member(swarm, peerId);
        local.leave(swarm, peerId, connection);
        if (member != null && member.connection() == connection) {
            // If Redis misses this, the record stays visible to other nodes until it expires (membership-ttl);
            // offers they send for it meanwhile find no peer here and are dropped. writeAll sends it again if one
            // of its writes may have overtaken it.
            call(redis -> redis.zrem(SwarmRecords.membersKey(swarm), SwarmRecords.of(node, member)));
        }
    }

    @Override
    public CompletableFuture<List<Member>> pick(SwarmKey swarm, Member self, int max) {
        if (!available) {
            return CompletableFuture.completedFuture(local.pickHere(swarm, self, max));
        }
        CachedRead<Swarm> view = view(swarm);
        if (view.fresh(viewMaxAgeNanos)) {
            return CompletableFuture.completedFuture(pick(swarm, self, max, view.value()));
        }
        // Each pick waits for the read on its own clock; a read that comes later still serves the picks after it.
        return view.refresh(() -> readOthers(swarm)).copy()
                .orTimeout(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .handle((others, error) -> pick(swarm, self, max, error == null ? others : NOBODY));
    }

    /**
     * Up to {@code max} from this node's and the other nodes' members together, each drawn from one side or the
     * other in proportion to their sizes, so a peer on a small node is not matched mostly with its neighbours.
     */
    private List<Member> pick(SwarmKey swarm, Member self, int max, Swarm others) {
        List<Member> here = local.pickHere(swarm, self, max);
        List<Member> there = others.pick(self, max);
        if (there.isEmpty()) {
            return here;
        }
        int hereSize = local.size(swarm);
        int thereSize = others.size();
        Set<String> herePeerIds = new HashSet<>();
        here.forEach(member -> herePeerIds.add(member.peerId()));
        List<Member> picked = new ArrayList<>(max);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int h = 0;
        int t = 0;
        while (picked.size() < max && (h < here.size() || t < there.size())) {
            boolean fromHere = t == there.size()
                    || (h < here.size() && random.nextInt(hereSize + thereSize) < hereSize);
            Member member = fromHere ? here.get(h++) : there.get(t++);
            // A peer that moved here from another node may still have its old record there for a while.
            if (fromHere || !herePeerIds.contains(member.peerId())) {
                picked.add(member);
            }
        }
        return picked;
    }

    @Override
    public int size(SwarmKey swarm) {
        int[] counts = counts(swarm);
        return counts[0] + counts[1];
    }

    @Override
    public int[] counts(SwarmKey swarm) {
        int[] counts = local.counts(swarm);
        // Views (and the reads that fill them) are kept for swarms with members here, like the swarms themselves,
        // not for every info hash a peer scrapes: those would cost memory and Redis reads as fast as peers ask.
        if (!available || counts[0] + counts[1] == 0) {
            return counts;
        }
        CachedRead<Swarm> view = view(swarm);
        if (!view.fresh(viewMaxAgeNanos)) {
            view.refresh(() -> readOthers(swarm));
        }
        // Announce replies and scrapes never wait: they count what this node last read, at most one TTL old.
        if (view.fresh(membershipTtl.toNanos())) {
            int[] others = view.value().counts();
            counts[0] += others[0];
            counts[1] += others[1];
        }
        return counts;
    }

    @Override
    public int streamPeers(UUID tenantId, UUID streamId) {
        int here = local.streamPeers(tenantId, streamId);
        if (!available) {
            return here;
        }
        CachedRead<Long> count = streamCounts.computeIfAbsent(new StreamKey(tenantId, streamId),
                key -> new CachedRead<>());
        if (!count.fresh(viewMaxAgeNanos)) {
            CompletableFuture<Long> reading = count.refresh(() -> call(redis -> SwarmScripts.STREAM_PEERS.run(redis,
                    ScriptOutputType.INTEGER, new String[] {SwarmRecords.streamKey(tenantId, streamId)},
                    SwarmRecords.membersKeyPrefix(tenantId, streamId))));
            try {
                reading.get(COUNT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (Exception e) {
                // Too slow or failed: the last count, if it is recent enough, else this node's own.
            }
        }
        // This node's own peers are counted exactly, even before their records reach Redis.
        return count.fresh(membershipTtl.toNanos()) ? (int) Math.max(here, count.value()) : here;
    }

    @Override
    public List<SwarmView> ofStream(UUID tenantId, UUID streamId) {
        List<SwarmView> views = local.ofStream(tenantId, streamId);
        if (!available) {
            return views;
        }
        List<String> members;
        try {
            members = this.<List<String>>call(redis -> SwarmScripts.STREAM_MEMBERS.run(redis, ScriptOutputType.MULTI,
                    new String[] {SwarmRecords.streamKey(tenantId, streamId)},
                    SwarmRecords.membersKeyPrefix(tenantId, streamId)))
                    .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (Exception e) {
            return views;
        }
        Map<String, SwarmView> byHash = new HashMap<>();
        views.forEach(view -> byHash.put(view.infoHash(), view));
        Set<String> counted = new HashSet<>();
        for (String entry : members) {
            int space = entry.indexOf(' ');
            String infoHash = entry.substring(0, space);
            Member member = SwarmRecords.parse(entry.substring(space + 1));
            // This node's own members are in the views above already, counted from memory.
            if (member == null || node.equals(member.node()) || !counted.add(infoHash + member.peerId())) {
                continue;
            }
            SwarmView view = byHash.getOrDefault(infoHash, new SwarmView(infoHash, 0, 0, Map.of()));
            Map<String, Integer> nats = new TreeMap<>(view.natTypes());
            nats.merge(member.nat().code(), 1, Integer::sum);
            byHash.put(infoHash, new SwarmView(infoHash, view.peers() + 1, view.seeders() + (member.seeder() ? 1 : 0),
                    nats));
        }
        List<SwarmView> merged = new ArrayList<>(byHash.values());
        merged.sort(Comparator.comparingInt(SwarmView::peers).reversed());
        return merged;
    }

    @Override
    public boolean offer(SwarmKey swarm, Member to, String fromPeerId, String offerId, long expiresAtNanos,
            byte[] message) {
        if (to.node() == null) {
            return local.offer(swarm, to, fromPeerId, offerId, expiresAtNanos, message);
        }
        long ttlMillis = Math.max(0, TimeUnit.NANOSECONDS.toMillis(expiresAtNanos - System.nanoTime()));
        return relay(to.node(), new Relay(Relay.Kind.OFFER, swarm.tenantId(), swarm.streamId(), swarm.infoHash(),
                to.peerId(), fromPeerId, node, offerId, ttlMillis), message);
    }

    @Override
    public boolean answer(SwarmKey swarm, String toPeerId, String fromPeerId, String offerId, String toNode,
            byte[] message) {
        if (toNode == null) {
            return local.answer(swarm, toPeerId, fromPeerId, offerId, null, message);
        }
        return relay(toNode, new Relay(Relay.Kind.ANSWER, swarm.tenantId(), swarm.streamId(), swarm.infoHash(),
                toPeerId, fromPeerId, node, offerId, 0), message);
    }

    @Override
    public Member member(SwarmKey swarm, String peerId) {
        return local.member(swarm, peerId);
    }

    /**
     * For a peer on another node: in the last read of that swarm's other members, if one was made within the
     * membership TTL (a read is started when the last is older than the view's age limit); without one, or while
     * Redis is unavailable, this node cannot tell, and says present.
     */
    @Override
    public boolean present(SwarmKey swarm, String peerId, String node) {
        if (node == null) {
            return local.member(swarm, peerId) != null;
        }
        if (!available) {
            return true;
        }
        CachedRead<Swarm> view = view(swarm);
        if (!view.fresh(viewMaxAgeNanos)) {
            view.refresh(() -> readOthers(swarm));
        }
        return !view.fresh(membershipTtl.toNanos()) || view.value().member(peerId) != null;
    }

    /**
     * Publishes to another node's channel; true once handed to Redis (that node may still find the peer gone).
     * Sent while the connection is up even if Redis counts as unavailable: the offer was picked, or the answer's
     * offer relayed, while it was not, and a PUBLISH that gets through late still connects two peers.
     */
    private boolean relay(String toNode, Relay relay, byte[] message) {
        String payload = relay.encode(json, message);
        return !call(redis -> redis.publish(SwarmRecords.channel(toNode), payload)).isCompletedExceptionally();
    }

    /** A message from another node for a peer of this one; runs on a Lettuce thread, so only in-memory work. */
    void received(byte[] payload) {
        Relay.Received received = Relay.decode(json, payload);
        if (received == null) {
            log.warn("Ignoring an unreadable signaling message from another node");
            return;
        }
        Relay relay = received.relay();
        byte[] message = received.message();
        SwarmKey swarm = new SwarmKey(relay.tenantId(), relay.streamId(), relay.infoHash());
        switch (relay.kind()) {
            case OFFER -> local.deliverOffer(swarm, relay.to(), relay.from(), relay.fromNode(), relay.offerId(),
                    System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(relay.ttlMillis()), message);
            case ANSWER -> local.deliverAnswer(swarm, relay.to(), relay.from(), relay.fromNode(), relay.offerId(),
                    message);
        }
    }

    private CachedRead<Swarm> view(SwarmKey swarm) {
        CachedRead<Swarm> view = views.computeIfAbsent(swarm, key -> new CachedRead<>());
        view.used();
        return view;
    }

    /** The other nodes' live members of a swarm, as a swarm of their own to pick from. */
    private CompletableFuture<Swarm> readOthers(SwarmKey swarm) {
        return this.<List<String>>call(redis -> SwarmScripts.MEMBERS.run(redis, ScriptOutputType.MULTI,
                new String[] {SwarmRecords.membersKey(swarm)})).thenApply(records -> {
                    Swarm others = new Swarm();
                    for (String record : records) {
                        Member member = SwarmRecords.parse(record);
                        if (member != null && !node.equals(member.node())) {
                            others.join(member);
                        }
                    }
                    return others;
                });
    }

    private CompletableFuture<Long> register(SwarmKey swarm, String remove, List<Member> members) {
        String[] arguments = new String[3 + members.size()];
        arguments[0] = Long.toString(membershipTtl.toMillis());
        arguments[1] = SwarmRecords.hex(swarm.infoHash());
        arguments[2] = remove;
        for (int i = 0; i < members.size(); i++) {
            arguments[3 + i] = SwarmRecords.of(node, members.get(i));
        }
        return call(redis -> SwarmScripts.REGISTER.run(redis, ScriptOutputType.INTEGER, new String[] {
            SwarmRecords.membersKey(swarm), SwarmRecords.streamKey(swarm.tenantId(), swarm.streamId())}, arguments));
    }

    /**
     * Sends one command unless the connection is down or too many are outstanding. Replies complete on Lettuce's
     * threads; a command stays outstanding until Lettuce has its reply or gives up on it, however long its caller
     * waits, since until then it is still queued on the connection. Callers decide whether Redis counts as
     * available: reads are not sent while it does not, writes and relays are.
     */
    private <T> CompletableFuture<T> call(Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis == null || !redis.isOpen()) {
            // Lettuce would hold it until it reconnects: stale by then, and held without bound.
            return CompletableFuture.failedFuture(new IllegalStateException("not connected to Redis"));
        }
        if (!inFlight.tryAcquire()) {
            return CompletableFuture.failedFuture(new IllegalStateException("too many Redis commands outstanding"));
        }
        CompletableFuture<T> reply;
        try {
            reply = command.apply(redis.async()).toCompletableFuture();
        }
        catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        reply.whenComplete((result, error) -> inFlight.release());
        return reply;
    }

    private void unavailable(Throwable error) {
        if (available) {
            available = false;
            log.warn("Redis unavailable for signaling; matching peers on this node only until it answers again: {}",
                    error.toString());
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("signaling-redis").daemon().factory());
        refresher = executor;
        long period = Math.min(PROBE_INTERVAL.toMillis(), membershipTtl.toMillis() / 3);
        executor.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Forgets views nobody asked for lately, connects when not connected yet, probes Redis, brings it back into use
     * when it answers again (writing every member of this node), and rewrites the records before they expire.
     */
    private void refresh() {
        views.values().removeIf(view -> view.unusedFor(membershipTtl.toNanos()));
        streamCounts.values().removeIf(count -> count.unusedFor(membershipTtl.toNanos()));
        try {
            if (connection == null) {
                connect();
            }
            if (!connection.isOpen() || !subscription.isOpen()) {
                throw new IllegalStateException("not connected to Redis");
            }
            connection.async().ping().toCompletableFuture().get(UNRESPONSIVE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
            boolean recovering = !available;
            available = true;
            long now = System.nanoTime();
            if (recovering || now - refreshedAt >= membershipTtl.toNanos() / 3) {
                refreshedAt = now;
                writeAll(local.snapshot());
                if (recovering) {
                    log.info(everShared ? "Redis answers again: signaling shares this node's peers with the others again"
                            : "Signaling shares swarms with the other nodes through Redis as node {}", node);
                    everShared = true;
                }
            }
        }
        catch (InterruptedException e) {
            // stop(): the node is shutting down.
            Thread.currentThread().interrupt();
        }
        catch (Exception e) {
            if (!everShared && !reportedUnreachable) {
                reportedUnreachable = true;
                log.warn("Cannot reach Redis for signaling (retrying every second); until then peers are matched on "
                        + "this node only: {}", e.toString());
            }
            unavailable(e);
        }
    }

    /**
     * Writes the records of {@code snapshot}, this node's members as they were a moment ago, a few calls at a time;
     * fails when Redis leaves some unanswered for {@link #UNRESPONSIVE_AFTER}. Package-private for a test.
     */
    void writeAll(Map<SwarmKey, List<Member>> snapshot) throws Exception {
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        for (Map.Entry<SwarmKey, List<Member>> swarm : snapshot.entrySet()) {
            List<Member> members = swarm.getValue();
            for (int from = 0; from < members.size(); from += MEMBERS_PER_WRITE) {
                writes.add(register(swarm.getKey(), "", members.subList(from,
                        Math.min(members.size(), from + MEMBERS_PER_WRITE))));
                if (writes.size() == WRITES_AT_ONCE) {
                    awaitAll(writes);
                }
            }
        }
        awaitAll(writes);
        // A member that left (or became a seeder) after the snapshot may have had its record removed before the
        // write above put it back, and other nodes would offer it for a whole TTL. Those writes are done: its
        // removal goes out again, after them.
        snapshot.forEach((swarm, members) -> {
            for (Member member : members) {
                Member now = local.member(swarm, member.peerId());
                if (now != member && (now == null
                        || !SwarmRecords.of(node, now).equals(SwarmRecords.of(node, member)))) {
                    call(redis -> redis.zrem(SwarmRecords.membersKey(swarm), SwarmRecords.of(node, member)));
                }
            }
        });
    }

    private static void awaitAll(List<CompletableFuture<Long>> writes) throws Exception {
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                .get(UNRESPONSIVE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
        writes.clear();
    }

    private void connect() throws Exception {
        if (!(redisFactory.getRequiredNativeClient() instanceof RedisClient client)) {
            throw new IllegalStateException("signaling needs a standalone or Sentinel Redis, not a Redis Cluster");
        }
        StatefulRedisConnection<String, String> commands = client.connect(StringCodec.UTF8);
        commands.setTimeout(UNRESPONSIVE_AFTER);
        // A lost connection is certain, unlike a late reply: sharing stops at once, and the probe that finds it
        // back writes every member again (a restarted Redis has lost them). Lettuce reconnects by itself.
        RedisConnectionStateListener lost = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                unavailable(new IllegalStateException("connection to Redis lost"));
            }
        };
        commands.addListener(lost);
        try {
            StatefulRedisPubSubConnection<String, byte[]> pubSub = client.connectPubSub(
                    RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
            pubSub.addListener(lost);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    received(message);
                }
            });
            // Lettuce subscribes again by itself after it reconnects.
            pubSub.sync().subscribe(SwarmRecords.channel(node));
            subscription = pubSub;
        }
        catch (RuntimeException e) {
            commands.close();
            throw e;
        }
        connection = commands;
    }

    @Override
    public void stop() {
        ScheduledExecutorService executor = refresher;
        refresher = null;
        if (executor == null) {
            return;
        }
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            // The tracker has closed its sockets and sent the members' removals; let them reach Redis.
            if (inFlight.tryAcquire(MAX_IN_FLIGHT, 2, TimeUnit.SECONDS)) {
                inFlight.release(MAX_IN_FLIGHT);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        available = false;
        if (subscription != null) {
            subscription.close();
        }
        if (connection != null) {
            connection.close();
        }
    }

    @Override
    public boolean isRunning() {
        return refresher != null;
    }

    /** Stops after the tracker (which leaves every swarm as it closes its sockets) and before the Redis client. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }




    private record StreamKey(UUID tenantId, UUID streamId) {
    }


}
