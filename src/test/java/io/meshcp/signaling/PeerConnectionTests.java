package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.channel.local.LocalServerChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Work that comes back to a peer's event loop after a Redis read, over a real (in-process) Netty channel: the peer
 * may have closed meanwhile, or the server may have shut its event loops down.
 */
class PeerConnectionTests {

    EventLoopGroup group;

    Channel server;

    Channel client;

    /** The server's side of the socket, which the peer connection handles. */
    Channel peer;

    PeerConnection connection;

    @BeforeEach
    void connect() throws Exception {
        group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        // Only disconnected() is reached here, which needs nothing the tracker is built with.
        Tracker tracker = new Tracker(new LocalSwarms(), null, null, null, null, null, new SimpleMeterRegistry(),
                Clock.systemUTC(), null);
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        LocalAddress address = new LocalAddress("peer-connection-" + UUID.randomUUID());
        server = new ServerBootstrap().group(group).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        channel.pipeline().addLast(new PeerConnection(tracker, null));
                        accepted.complete(channel);
                    }
                })
                .bind(address).sync().channel();
        client = new Bootstrap().group(group).channel(LocalChannel.class).handler(new ChannelInboundHandlerAdapter())
                .connect(address).sync().channel();
        peer = accepted.get(5, TimeUnit.SECONDS);
        connection = peer.pipeline().get(PeerConnection.class);
    }

    @AfterEach
    void shutDown() {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void workForALivePeerRunsOnItsEventLoop() throws Exception {
        CompletableFuture<Thread> ranOn = new CompletableFuture<>();

        connection.execute(() -> ranOn.complete(Thread.currentThread()));

        assertThat(group.next().inEventLoop(ranOn.get(5, TimeUnit.SECONDS))).isTrue();
    }

    @Test
    void workForAPeerThatHasClosedIsDropped() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        client.close().sync();
        peer.closeFuture().sync();

        connection.execute(() -> ran.set(true));

        // The event loop runs its tasks in order: once this one has run, the work above has had its turn.
        group.submit(() -> null).get(5, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
    }

    @Test
    void workForAPeerWhoseEventLoopHasShutDownIsDroppedQuietly() {
        AtomicBoolean ran = new AtomicBoolean();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();

        assertThatNoException().isThrownBy(() -> connection.execute(() -> ran.set(true)));
        assertThat(ran).isFalse();
    }

    @Test
    void workThatFailsDropsThatPeerOnly() throws Exception {
        connection.execute(() -> {
            throw new IllegalStateException("a bug");
        });

        assertThat(peer.closeFuture().await(5, TimeUnit.SECONDS)).as("the peer was dropped").isTrue();
        assertThat(server.isActive()).as("the server goes on").isTrue();
    }
}
