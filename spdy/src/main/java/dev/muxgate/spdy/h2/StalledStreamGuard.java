package dev.muxgate.spdy.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Resets a stream that has had response data it could not send for too long: the client keeps its
 * flow-control window shut (advertises 0 and never opens it) or stops reading. Back-pressure keeps
 * such a stream's memory bounded, but without this it would hold its stream slot, its plugin
 * connection and its origin connection for ever. The clock runs while the stream channel is
 * unwritable, that is while more than its high water mark waits for the client's window, and
 * stops when the client takes data again.
 */
final class StalledStreamGuard extends ChannelInboundHandlerAdapter {

    private final Duration timeout;
    private final Runnable stalled;
    private ScheduledFuture<?> timer;

    /** @param stalled told each time a stream is reset for stalling (metrics) */
    StalledStreamGuard(Duration timeout, Runnable stalled) {
        this.timeout = timeout;
        this.stalled = stalled;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            cancel();
        } else if (timer == null) {
            timer = ctx.executor().schedule(() -> expire(ctx), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void expire(ChannelHandlerContext ctx) {
        timer = null;
        if (ctx.channel().isActive() && !ctx.channel().isWritable()) {
            stalled.run();
            // Closing the stream channel resets it (CANCEL) and aborts the transaction behind it.
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancel();
        ctx.fireChannelInactive();
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
