package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import io.meshcp.player.NatType;
import io.meshcp.signaling.Swarms.Member;
import io.meshcp.support.Replicas;
import io.meshcp.support.TcpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Shared swarms below the tracker, against a real Redis: two {@link RedisSwarms}, as on two nodes, each with its own
 * members; the first reaches Redis through a proxy that can stall. Memberships last a minute here, so a record
 * that should have gone stays long enough to be seen, and each read of the other node's members is fresh.
 */
class RedisSwarmsTests {

    static TcpProxy proxy;

    static LettuceConnectionFactory throughProxy;

    static LettuceConnectionFactory direct;

    final LocalSwarms hereLocal = new LocalSwarms();

    final RedisSwarms here = node(hereLocal, throughProxy);

    final RedisSwarms there = node(new LocalSwarms(), direct);

    final UUID tenantId = UUID.randomUUID();

    final UUID streamId = UUID.randomUUID();

    final SwarmKey swarm = new SwarmKey(tenantId, streamId, "720p-info-hash-00001");

    @BeforeAll
    static void connect() throws Exception {
        URI url = URI.create(Replicas.redisUrl());
        proxy = new TcpProxy(url.getHost(), url.getPort());
        throughProxy = factory("127.0.0.1", proxy.port());
        direct = factory(url.getHost(), url.getPort());
    }

    @AfterAll
    static void disconnect() throws Exception {
        throughProxy.destroy();
        direct.destroy();
        proxy.close();
    }

    @AfterEach
    void stopNodes() {
        here.stop();
        there.stop();
    }

    @Test
    void aMemberThatLeavesWhileItsRecordIsRewrittenDisappearsForTheOtherNodes() throws Exception {
        startBoth();
        Member alice = member("alice");
        Member bob = member("bob");
        here.join(swarm, alice);
        here.join(swarm, bob);

        // The refresh takes its snapshot; alice leaves, and her removal reaches Redis; then the snapshot's writes.
        Map<SwarmKey, List<Member>> snapshot = hereLocal.snapshot();
        here.leave(swarm, alice.peerId(), null);
        here.writeAll(snapshot);

        await().atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(there.pick(swarm, member("carol"), 10)
                .get(5, TimeUnit.SECONDS)).extracting(Member::peerId).containsExactly(bob.peerId()));
    }

    @Test
    void aNodeInMoreSwarmsThanItMayHaveCommandsOutstandingRewritesThemAllThroughAMomentOfSlowness()
            throws Exception {
        startBoth();
        int swarms = 12_000;
        for (int i = 0; i < swarms; i++) {
            hereLocal.join(new SwarmKey(tenantId, streamId, String.format("%020d", i)), member("peer" + i));
        }

        proxy.stall();
        FutureTask<Void> rewrite = new FutureTask<>(() -> {
            here.writeAll(hereLocal.snapshot());
            return null;
        });
        Thread rewriting = Thread.ofPlatform().name("rewrite-all").daemon().start(rewrite);
        // Redis answers nothing until the rewrite has sent all it sends before waiting for replies (or has failed):
        // what it keeps outstanding at once must fit.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> rewrite.isDone() || waitsForReplies(rewriting));
        proxy.resume();

        rewrite.get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> there.streamPeers(tenantId, streamId) == swarms);
        assertThat(here.shared()).isTrue();
    }

    /** Whether {@code thread} waits, with a time limit, for a future: the rewrite for its writes' replies. */
    private static boolean waitsForReplies(Thread thread) {
        return thread.getState() == Thread.State.TIMED_WAITING && Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(CompletableFuture.class.getName()));
    }

    private void startBoth() {
        here.start();
        there.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> here.shared() && there.shared());
    }

    private static LettuceConnectionFactory factory(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    private static RedisSwarms node(LocalSwarms local, LettuceConnectionFactory redis) {
        return new RedisSwarms(local, redis, new SignalingProperties(null, Duration.ofMinutes(10), List.of(), 0,
                65536, 20, 10, 10, Duration.ofSeconds(30), 120, 15, Duration.ofSeconds(300), Duration.ofSeconds(40), 100_000,
                4, 500, Duration.ofMinutes(1), Duration.ZERO));
    }

    /** A peer with a 20-character id, held by no socket: only its record matters here. */
    private static Member member(String name) {
        return new Member(String.format("%-20.20s", "-MC0001-" + name).replace(' ', '0'), NatType.OPEN, false, null);
    }
}
