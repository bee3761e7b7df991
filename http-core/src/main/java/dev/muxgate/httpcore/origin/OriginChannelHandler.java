package dev.muxgate.httpcore.origin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;

/**
 * Last handler of an origin connection: passes decoded responses to the transaction that borrowed
 * the connection, and tells the pool when an idle connection dies or speaks out of turn.
 */
final class OriginChannelHandler extends ChannelInboundHandlerAdapter {

    private final OriginPool pool;
    private OriginConnection connection;

    OriginChannelHandler(OriginPool pool) {
        this.pool = pool;
    }

    void bind(OriginConnection newConnection) {
        connection = newConnection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        OriginListener listener = connection == null ? null : connection.listener();
        if (listener != null && msg instanceof HttpObject http) {
            listener.onOriginMessage(http);
            return;
        }
        // An origin that talks while idle would desynchronise the next request: drop it.
        ReferenceCountUtil.release(msg);
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        OriginListener listener = connection == null ? null : connection.listener();
        if (listener != null) {
            listener.onOriginReadComplete();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        OriginListener listener = connection == null ? null : connection.listener();
        if (listener != null) {
            listener.onOriginClosed(null);
        } else if (connection != null) {
            pool.discardIdle(connection);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        OriginListener listener = connection == null ? null : connection.listener();
        if (listener != null) {
            listener.onOriginWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        OriginListener listener = connection == null ? null : connection.listener();
        if (listener != null) {
            // With TLS 1.3 the origin refuses a client certificate after our side of the handshake
            // is done, as an alert on the first read: still a TLS failure, not a dropped connection.
            listener.onOriginClosed(OriginTlsException.isTls(cause) ? new OriginTlsException(pool.origin(), cause) : cause);
        }
        ctx.close();
    }
}
