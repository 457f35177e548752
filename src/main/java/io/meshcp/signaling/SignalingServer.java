package io.meshcp.signaling;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The tracker's WebSocket server: plain Netty on its own port, because a socket here costs a few
 * kilobytes while a servlet-container WebSocket session costs tens (docs/signaling.md has the numbers).
 * Oversize frames close with 1009; sockets that stay silent are pinged, then closed, and so are those that send no
 * tracker message for the idle timeout; a peer that cannot read fast enough is dropped instead of being buffered
 * for. On shutdown every peer is told the server is
 * going away (a warning in each of its swarms, then close 1001), so its client reconnects, through the load
 * balancer, to another node.
 */
@Component
class SignalingServer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SignalingServer.class);

    static final String PATH = "/v1/signal";

    private static final int FLUSHES_BEFORE_FORCED_FLUSH = 64;

    /** How long peers get to answer the going-away close before their sockets are cut. */
    private static final long GOING_AWAY_WAIT_SECONDS = 2;

    private final SignalingProperties properties;

    private final Tracker tracker;

    private final PeerAddress addresses;

    private EventLoopGroup boss;

    private EventLoopGroup workers;

    private Channel server;

    private ChannelGroup sockets;

    private volatile int port = -1;

    SignalingServer(SignalingProperties properties, Tracker tracker, ObjectProvider<TomcatServerProperties> tomcat) {
        this.properties = properties;
        this.tracker = tracker;
        this.addresses = new PeerAddress(tomcat.getIfAvailable(TomcatServerProperties::new).getRemoteip()
                .getInternalProxies());
    }

    /** The port the tracker listens on, once started. */
    int port() {
        return port;
    }

    @Override
    public void start() {
        boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        sockets = new DefaultChannelGroup("signaling", GlobalEventExecutor.INSTANCE);
        WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(PATH)
                .checkStartsWith(true)
                .maxFramePayloadLength(properties.maxMessageBytes())
                .allowExtensions(false)
                .handleCloseFrames(true)
                .dropPongFrames(true)
                // Jackson checks the UTF-8 as it parses each message (invalid bytes are malformed JSON),
                // so Netty's byte-by-byte validator would only do the same work twice.
                .withUTF8Validator(false)
                .build();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                // A restarted node binds its port again at once, while the old sockets sit in TIME_WAIT.
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A fixed kernel send buffer: left to autotuning, a peer that never reads could pin megabytes
                // of kernel memory before the write buffer mark below (what Netty holds) ever trips.
                .childOption(ChannelOption.SO_SNDBUF, 32 * 1024)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        sockets.add(channel);
                        channel.pipeline()
                                // Relaying an announce writes to up to a dozen sockets; their flushes are
                                // gathered into one per event-loop turn instead of one system call per message.
                                .addLast(new FlushConsolidationHandler(FLUSHES_BEFORE_FORCED_FLUSH, true))
                                .addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpObjectAggregator(8192))
                                // Reader idleness only: watching writes too would cost a promise listener per message.
                                .addLast(new IdleStateHandler(properties.pingInterval().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast(new WebSocketServerProtocolHandler(webSocket))
                                // Reassembles fragmented messages, within the same size limit.
                                .addLast(new WebSocketFrameAggregator(properties.maxMessageBytes()))
                                .addLast(new TrackerSilence(properties.idleTimeout().toMillis()))
                                .addLast(new PeerConnection(tracker, addresses));
                    }
                });
        server = bootstrap.bind(properties.port()).syncUninterruptibly().channel();
        port = ((InetSocketAddress) server.localAddress()).getPort();
        log.info("Signaling tracker on port {} at {}", port, PATH);
    }

    @Override
    public void stop() {
        if (server != null) {
            // Bounded waits: a stuck event loop must not hold the whole shutdown.
            server.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            log.info("Telling {} signaling peers to reconnect elsewhere", sockets.size());
            // Queued on each socket's event loop ahead of the close frame below, so the warning arrives first.
            tracker.goingAway();
            // Sockets still in their HTTP handshake cannot take a WebSocket frame; they are simply closed below.
            sockets.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
                    "server restarting; reconnect")).awaitUninterruptibly(GOING_AWAY_WAIT_SECONDS, TimeUnit.SECONDS);
            sockets.newCloseFuture().awaitUninterruptibly(GOING_AWAY_WAIT_SECONDS, TimeUnit.SECONDS);
            sockets.close().awaitUninterruptibly(GOING_AWAY_WAIT_SECONDS, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            boss.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }
}
