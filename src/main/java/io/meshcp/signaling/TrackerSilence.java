package io.meshcp.signaling;

import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

/**
 * Tells the peer connection, with {@link #EVENT}, that a socket has sent no tracker message for the idle timeout.
 * It sits behind the WebSocket protocol handler, which answers pings and drops pongs, so only data frames reach it:
 * a client that answers pings but never announces is idle all the same.
 */
final class TrackerSilence extends IdleStateHandler {

    static final Object EVENT = new Object() {
        @Override
        public String toString() {
            return "TRACKER_SILENCE";
        }
    };

    TrackerSilence(long idleMillis) {
        super(idleMillis, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        ctx.fireUserEventTriggered(EVENT);
    }
}
