package dev.muxgate.spdy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameListener;
import io.netty.handler.codec.http2.Http2FrameListenerDecorator;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;

/**
 * Bounds the PRIORITY, SETTINGS and PING frames a client may send between two requests. Each costs
 * the gateway work and serves nobody; Netty only bounds the answers it queues for a client that does
 * not read (and ignores PRIORITY for streams not yet open, so nothing else sees those), while a
 * client that reads its answers could send them forever. Every request head refills the budget, as
 * nginx's priority limit does; a session that spends it ends with GOAWAY(ENHANCE_YOUR_CALM).
 */
final class ControlFrameBudget extends Http2FrameListenerDecorator {

    private final int perRequest;
    private int left;

    ControlFrameBudget(Http2FrameListener listener, int perRequest) {
        super(listener);
        this.perRequest = perRequest;
        this.left = perRequest;
    }

    private void spend(String what) throws Http2Exception {
        if (--left < 0) {
            throw Http2Exception.connectionError(Http2Error.ENHANCE_YOUR_CALM,
                    "more than %d PRIORITY, SETTINGS and PING frames without a request (last: %s)", perRequest, what);
        }
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int padding,
                              boolean endOfStream) throws Http2Exception {
        left = perRequest;
        super.onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, int streamDependency,
                              short weight, boolean exclusive, int padding, boolean endOfStream) throws Http2Exception {
        left = perRequest;
        super.onHeadersRead(ctx, streamId, headers, streamDependency, weight, exclusive, padding, endOfStream);
    }

    @Override
    public void onPriorityRead(ChannelHandlerContext ctx, int streamId, int streamDependency, short weight,
                               boolean exclusive) throws Http2Exception {
        spend("PRIORITY");
        super.onPriorityRead(ctx, streamId, streamDependency, weight, exclusive);
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) throws Http2Exception {
        spend("SETTINGS");
        super.onSettingsRead(ctx, settings);
    }

    @Override
    public void onPingRead(ChannelHandlerContext ctx, long data) throws Http2Exception {
        spend("PING");
        super.onPingRead(ctx, data);
    }
}
