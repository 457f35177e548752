package io.meshcp.signaling;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * One peer's socket: its token's claims, the swarms it is in under which peer id, its links to other peers
 * ({@link PeerLinks}), and its message budget. State other than the links is touched only on the socket's own
 * event-loop thread.
 */
final class PeerConnection extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** How long a refused socket may take to send the message its refusal answers before it is closed. */
    static final long REFUSED_SOCKET_GRACE_SECONDS = 10;

    /** Silent ping intervals after which a peer is gone; pings go out after each but the last. */
    static final int SILENT_PERIODS_BEFORE_CLOSE = 3;

    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final Tracker tracker;

    private final PeerAddress addresses;

    private Channel channel;

    private SignalingClaims claims;

    private Refusal refusal;

    private String tokenFingerprint = "-";

    private String policyVersionTold;

    private final Map<String, String> peerIdBySwarm = new HashMap<>(4);

    private String address;

    // The one pending check of this socket's token expiry; cancelled on close, so a closed socket is not kept
    // in memory until its token would have expired.
    private ScheduledFuture<?> expiryCheck;

    private final PeerLinks links = new PeerLinks();

    private double tokens;

    private long refilledAt;

    private int strikes;

    private boolean droppedAsSlow;

    private int silentPeriods;

    PeerConnection(Tracker tracker, PeerAddress addresses) {
        this.tracker = tracker;
        this.addresses = addresses;
    }

    SignalingClaims claims() {
        return claims;
    }

    PeerLinks links() {
        return links;
    }

    /** The last eight characters of the token this socket connected with, for refusals that concern it. */
    String tokenFingerprint() {
        return tokenFingerprint;
    }

    /** The policy version this peer last heard of: its token's, or the one of the last change it was told about. */
    String policyVersionTold() {
        return policyVersionTold != null ? policyVersionTold : claims.policyVersion();
    }

    void policyVersionTold(String version) {
        this.policyVersionTold = version;
    }

    /**
     * The peer id this socket announced in each swarm, by info hash. One per swarm: a second one replaces the first
     * (p2p-media-loader keeps one peer id per info hash for the page, and a client that made a new one has
     * forgotten the old), so one socket can never fill a swarm with made-up peers.
     */
    Map<String, String> peerIdBySwarm() {
        return peerIdBySwarm;
    }

    /** The peer id this socket holds in the swarm, or null. */
    String peerIdIn(String infoHash) {
        return peerIdBySwarm.get(infoHash);
    }

    boolean owns(String infoHash, String peerId) {
        return peerId.equals(peerIdBySwarm.get(infoHash));
    }

    /** How many swarms this socket is in. */
    int memberships() {
        return peerIdBySwarm.size();
    }

    void joined(String infoHash, String peerId) {
        peerIdBySwarm.put(infoHash, peerId);
    }

    /** Forgets a membership; false when this socket did not hold it. */
    boolean left(String infoHash, String peerId) {
        return peerIdBySwarm.remove(infoHash, peerId);
    }

    /** The client address this socket is counted against, once counted. */
    String address() {
        return address;
    }

    void countedAt(String clientAddress) {
        this.address = clientAddress;
    }

    /** Takes a fresh token's claims for the same viewer: the socket's authority now lasts until they expire. */
    void renew(SignalingClaims fresh) {
        claims = fresh;
    }

    /**
     * Runs {@code check} on this socket's event loop after {@code millis}, unless the socket has closed by then;
     * replaces the check scheduled before.
     */
    void scheduleExpiryCheck(Runnable check, long millis) {
        Channel target = channel;
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        expiryCheck = target.eventLoop().schedule(() -> {
            if (target.isActive()) {
                check.run();
            }
        }, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Queues a JSON message (UTF-8) for this peer; a peer that cannot keep up is dropped, never buffered
     * without bound.
     */
    boolean send(byte[] message) {
        Channel target = channel;
        if (target == null || !target.isActive()) {
            return false;
        }
        if (!target.isWritable()) {
            dropSlowConsumer(target);
            return false;
        }
        target.writeAndFlush(new TextWebSocketFrame(Unpooled.wrappedBuffer(message)));
        return true;
    }

    // Several event loops may find the peer unwritable at once; it is dropped (and counted) once. A close
    // frame would queue behind everything the peer is not reading, so the socket is cut.
    private synchronized void dropSlowConsumer(Channel target) {
        if (!droppedAsSlow) {
            droppedAsSlow = true;
            tracker.refused("SLOW_CONSUMER");
            target.close();
        }
    }

    /**
     * Continues work for this peer on its socket's event loop, after waiting on something else (a Redis read).
     * Work for a socket that has closed meanwhile is dropped: there is nobody left to do it for, and on shutdown
     * the server stops its event loops while reads may still be outstanding, so there is not even a thread left
     * to do it on. Work that fails drops this peer and nobody else, as it would have inline.
     */
    void execute(Runnable work) {
        Channel target = channel;
        try {
            target.eventLoop().execute(() -> {
                if (target.isActive()) {
                    try {
                        work.run();
                    }
                    catch (RuntimeException e) {
                        target.pipeline().fireExceptionCaught(e);
                    }
                }
            });
        }
        catch (RejectedExecutionException e) {
            // The event loop has terminated, and with it every socket it served, this one included.
        }
    }

    void close(WebSocketCloseStatus status, String reason) {
        Channel target = channel;
        if (target != null && target.isActive()) {
            target.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Spends one message from the budget: {@code rate} per second, bursts of twice that. */
    boolean allowMessage(int rate) {
        long now = System.nanoTime();
        if (refilledAt == 0) {
            tokens = 2.0 * rate;
        }
        else {
            tokens = Math.min(2.0 * rate, tokens + (now - refilledAt) / 1e9 * rate);
        }
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }

    /** Counts a malformed message; true when the peer has sent too many and should be dropped. */
    boolean strike() {
        return ++strikes > 5;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        if (message instanceof FullHttpRequest request) {
            // Anything but a WebSocket upgrade on /v1/signal.
            request.release();
            ctx.writeAndFlush(Http.notFound()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelRead(ctx, message);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            if (claims != null) {
                tracker.handle(this, ByteBufUtil.getBytes(text.content()));
            }
            else if (refusal != null) {
                tracker.answerRefused(this, refusal, ByteBufUtil.getBytes(text.content()));
                refusal = null;
            }
        }
        else if (!(frame instanceof PingWebSocketFrame)) {
            tracker.refused("BINARY_FRAME");
            close(WebSocketCloseStatus.INVALID_MESSAGE_TYPE, "text frames only");
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            String token = new QueryStringDecoder(handshake.requestUri()).parameters()
                    .getOrDefault("token", List.of()).stream().findFirst().orElse(null);
            tokenFingerprint = SignalingTokens.fingerprint(token);
            InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress socket ? socket.getAddress()
                    : InetAddress.getLoopbackAddress();
            String clientAddress = addresses.of(peer, handshake.requestHeaders().get(X_FORWARDED_FOR));
            SignalingTokens.Check admitted = tracker.admit(this, token, clientAddress);
            claims = admitted.claims();
            refusal = admitted.refusal();
            if (claims != null) {
                tracker.watchExpiry(this);
            }
            if (refusal != null) {
                // The refusal answers the client's first message, which names the swarm it is for; one that
                // never speaks is closed all the same.
                ctx.executor().schedule(() -> close(WebSocketCloseStatus.POLICY_VIOLATION, admitted.refusal()
                        .closeReason()), REFUSED_SOCKET_GRACE_SECONDS, TimeUnit.SECONDS);
            }
        }
        else if (event == TrackerSilence.EVENT) {
            tracker.refused("IDLE");
            close(WebSocketCloseStatus.NORMAL_CLOSURE, "idle");
        }
        else if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            // Fired after each ping interval without a byte from the peer: the first two times a ping asks for a
            // pong, the third time the peer is gone.
            silentPeriods = idle.isFirst() ? 1 : silentPeriods + 1;
            if (silentPeriods >= SILENT_PERIODS_BEFORE_CLOSE) {
                tracker.refused("UNRESPONSIVE");
                close(WebSocketCloseStatus.NORMAL_CLOSURE, "no answer to pings");
            }
            else {
                ctx.writeAndFlush(new PingWebSocketFrame());
            }
        }
        else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (expiryCheck != null) {
            expiryCheck.cancel(false);
        }
        tracker.disconnected(this);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            // A fragmented message over the limit; single oversize frames Netty closes with 1009 itself.
            tracker.refused("OVERSIZE");
            close(WebSocketCloseStatus.MESSAGE_TOO_BIG, "message too large");
            return;
        }
        // Anything else drops only this peer.
        ctx.close();
    }

}
