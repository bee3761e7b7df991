package dev.muxgate.spdy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Ends an HTTP/2 session that has been quiet for the idle time-out and has no open stream: a
 * graceful close (GOAWAY). A session with a stream in progress is left alone, however slow, since
 * its stream is the core's to time out.
 */
final class IdleSessionCloser extends ChannelInboundHandlerAdapter {

    private final Http2FrameCodec codec;

    IdleSessionCloser(Http2FrameCodec codec) {
        this.codec = codec;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (codec.connection().numActiveStreams() == 0) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
