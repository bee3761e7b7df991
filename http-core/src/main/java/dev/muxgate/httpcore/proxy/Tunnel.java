package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The byte tunnel a client connection and its origin connection become once the origin has
 * answered a WebSocket upgrade with 101. Bytes cross as they are, each side paced by the other's
 * writability (the reader stops while its peer cannot take more), and the tunnel ends, once, when
 * either side closes, nothing moved for the idle time-out, or the client sent more than the request
 * body limit. Lives on the client connection's loop, like its origin connection.
 */
final class Tunnel {

    /** Told once, when the tunnel has ended, with the bytes that crossed each way. */
    interface Ending {
        void tunnelEnded(Result result, String why, long fromClient, long toClient);
    }

    private final ChannelHandlerContext clientCtx;
    private final Channel origin;
    private final long maxClientBytes;
    private final long idleNanos;
    private final Ending ending;

    /** What each side sent while the two were being switched over, in order. */
    private final ArrayDeque<ByteBuf> earlyFromClient = new ArrayDeque<>();
    private final ArrayDeque<ByteBuf> earlyFromOrigin = new ArrayDeque<>();
    private boolean started;
    private boolean ended;
    private boolean originNeedsFlush;
    private long fromClient;
    private long toClient;
    private long lastActivityNanos;
    private ScheduledFuture<?> idleTimer;

    Tunnel(ChannelHandlerContext clientCtx, Channel origin, long maxClientBytes, long idleNanos, Ending ending) {
        this.clientCtx = clientCtx;
        this.origin = origin;
        this.maxClientBytes = maxClientBytes;
        this.idleNanos = idleNanos;
        this.ending = ending;
    }

    /** The handler that takes the origin connection's place of the HTTP handlers. */
    ChannelHandler originEnd() {
        return new OriginEnd();
    }

    /** Both sides are switched: what arrived meanwhile goes through, then everything as it comes. */
    void start() {
        if (ended) {
            return;
        }
        started = true;
        lastActivityNanos = now();
        scheduleIdleCheck(idleNanos);
        for (ByteBuf b; (b = earlyFromOrigin.poll()) != null && !ended; ) {
            fromOrigin(b);
        }
        for (ByteBuf b; (b = earlyFromClient.poll()) != null && !ended; ) {
            fromClient(b);
        }
        if (ended) {
            return;
        }
        clientCtx.flush();
        origin.flush();
        originNeedsFlush = false;
        if (!origin.isActive()) {
            end(Result.TCP_MISS, "origin closed");
            return;
        }
        clientCtx.channel().config().setAutoRead(origin.isWritable());
        origin.config().setAutoRead(clientCtx.channel().isWritable());
    }

    boolean ended() {
        return ended;
    }

    /** A message the client side read; the tunnel owns it. */
    void fromClient(Object msg) {
        ByteBuf buf = bytesOf(msg);
        if (buf == null) {
            return;
        }
        if (!started) {
            earlyFromClient.add(buf);
            return;
        }
        fromClient += buf.readableBytes();
        if (fromClient > maxClientBytes) {
            buf.release();
            end(Result.ERR_INVALID_REQ, "client sent more than " + maxClientBytes + " bytes through the tunnel");
            return;
        }
        lastActivityNanos = now();
        origin.write(buf, origin.voidPromise());
        originNeedsFlush = true;
        if (!origin.isWritable()) {
            clientCtx.channel().config().setAutoRead(false);
        }
    }

    void clientReadComplete() {
        if (originNeedsFlush && !ended) {
            originNeedsFlush = false;
            origin.flush();
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (!ended) {
            origin.config().setAutoRead(writable);
        }
    }

    void clientClosed() {
        end(Result.TCP_MISS, "client closed");
    }

    private void fromOrigin(Object msg) {
        ByteBuf buf = bytesOf(msg);
        if (buf == null) {
            return;
        }
        if (!started) {
            earlyFromOrigin.add(buf);
            return;
        }
        toClient += buf.readableBytes();
        lastActivityNanos = now();
        clientCtx.write(buf, clientCtx.voidPromise());
        if (!clientCtx.channel().isWritable()) {
            origin.config().setAutoRead(false);
        }
    }

    /** The bytes of a message, or null (released) for anything that is not bytes, or after the end. */
    private ByteBuf bytesOf(Object msg) {
        if (ended) {
            ReferenceCountUtil.release(msg);
            return null;
        }
        if (msg instanceof ByteBuf buf) {
            if (buf.isReadable()) {
                return buf;
            }
        } else if (msg instanceof ByteBufHolder holder && holder.content().isReadable()) {
            // A message-speaking plugin may wrap tunnel bytes as HTTP content.
            return holder.content();
        }
        ReferenceCountUtil.release(msg);
        return null;
    }

    /**
     * Ends the tunnel: each side gets what is already on its way, then a close. A side that does
     * not take its last bytes within the idle time-out is closed anyway.
     */
    void end(Result result, String why) {
        if (ended) {
            return;
        }
        ended = true;
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
        for (ByteBuf b; (b = earlyFromClient.poll()) != null; ) {
            b.release();
        }
        for (ByteBuf b; (b = earlyFromOrigin.poll()) != null; ) {
            b.release();
        }
        closeAfterPending(clientCtx.channel());
        closeAfterPending(origin);
        ending.tunnelEnded(result, why, fromClient, toClient);
    }

    private void closeAfterPending(Channel ch) {
        if (!ch.isActive()) {
            ch.close();
            return;
        }
        ch.config().setAutoRead(false);
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        ScheduledFuture<?> force = ch.eventLoop().schedule(() -> {
            ch.close();
        }, idleNanos, TimeUnit.NANOSECONDS);
        ch.closeFuture().addListener(f -> force.cancel(false));
    }

    private void scheduleIdleCheck(long delayNanos) {
        idleTimer = clientCtx.executor().schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void checkIdle() {
        idleTimer = null;
        if (ended) {
            return;
        }
        long idle = now() - lastActivityNanos;
        if (idle >= idleNanos) {
            end(Result.ERR_READ_TIMEOUT, "nothing crossed the tunnel for " + TimeUnit.NANOSECONDS.toMillis(idleNanos)
                    + " ms");
        } else {
            scheduleIdleCheck(Math.max(idleNanos - idle, TimeUnit.MILLISECONDS.toNanos(10)));
        }
    }

    private long now() {
        return clientCtx.executor().ticker().nanoTime();
    }

    /** The origin connection's last handler while it tunnels. */
    private final class OriginEnd extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            fromOrigin(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (started && !ended) {
                clientCtx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (started && !ended) {
                clientCtx.channel().config().setAutoRead(ctx.channel().isWritable());
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!started) {
                // Seen again by start(), which ends the tunnel once the 101 is out.
                return;
            }
            end(Result.TCP_MISS, "origin closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            end(Result.ERR_ORIGIN_ERROR, "origin connection failed: " + cause.getMessage());
            ctx.close();
        }
    }
}
