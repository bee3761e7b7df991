package dev.muxgate.gateway.session;

import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.httpcore.balancer.ClientAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import java.util.Objects;

/**
 * Measures a client session at the socket for the session log: notes the client's address, counts
 * the bytes received and sent (TLS records included, as they cross the socket) and notes when the
 * connection went inactive. It sits first in the front-door pipeline, before the TLS handler, so it
 * sees the raw bytes both ways and marks the end before the session is reported. It only looks:
 * every message passes on untouched, owned by whoever owned it.
 *
 * <p>Bytes out are counted when handed to the socket; on a connection that breaks, the last bytes
 * counted may never have left.
 */
public final class SessionTrafficMeter extends ChannelDuplexHandler {

    /** The handler's name in the front-door pipeline. */
    public static final String NAME = "traffic";

    private final SessionContext session;

    public SessionTrafficMeter(SessionContext session) {
        this.session = Objects.requireNonNull(session, "session");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        // An accepted connection is already connected when its pipeline is built.
        noteClient(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        noteClient(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        session.received(bytesOf(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        session.sent(bytesOf(msg));
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.end();
        ctx.fireChannelInactive();
    }

    private void noteClient(ChannelHandlerContext ctx) {
        if (session.clientIp() == null) {
            session.clientAddress(ClientAddress.of(ctx.channel()));
        }
    }

    private static long bytesOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        if (msg instanceof FileRegion region) {
            return region.count() - region.transferred();
        }
        return 0;
    }
}
