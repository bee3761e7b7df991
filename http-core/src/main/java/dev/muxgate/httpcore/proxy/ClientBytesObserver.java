package dev.muxgate.httpcore.proxy;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Sits before the HTTP decoder and tells the connection handler that bytes came in, which the
 * decoder alone hides until a whole request head is there: the header time-out starts with them.
 */
final class ClientBytesObserver extends ChannelInboundHandlerAdapter {

    private final ClientConnectionHandler connection;

    ClientBytesObserver(ClientConnectionHandler connection) {
        this.connection = connection;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        connection.onInboundBytes();
        ctx.fireChannelRead(msg);
    }
}
