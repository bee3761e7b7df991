package dev.muxgate.httpcore.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Records what one end of a pair sees, in order: reads (kept, not released, so a test can check
 * that the very buffer it sent arrived), activity, input shutdown and writability changes. The
 * test owns what was read and releases it with {@link #releaseReads()}.
 */
final class PipeRecorder extends ChannelInboundHandlerAdapter {

    static final String ACTIVE = "active";
    static final String INACTIVE = "inactive";
    static final String INPUT_SHUTDOWN = "input-shutdown";

    final BlockingQueue<Object> reads = new LinkedBlockingQueue<>();
    /** Everything ever read and not yet released; {@link #nextRead} does not take from it. */
    private final List<Object> owned = Collections.synchronizedList(new ArrayList<>());
    /** Reads and lifecycle events interleaved, as the pipeline saw them. */
    final List<Object> timeline = Collections.synchronizedList(new ArrayList<>());
    final CountDownLatch active = new CountDownLatch(1);
    final CountDownLatch inactive = new CountDownLatch(1);
    final CountDownLatch inputShutdown = new CountDownLatch(1);
    final AtomicInteger readCompletes = new AtomicInteger();
    final AtomicInteger writabilityChanges = new AtomicInteger();
    final AtomicInteger becameWritable = new AtomicInteger();

    @Override
    public boolean isSharable() {
        return false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeline.add(ACTIVE);
        active.countDown();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        timeline.add(INACTIVE);
        inactive.countDown();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        owned.add(msg);
        timeline.add(msg);
        reads.add(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readCompletes.incrementAndGet();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            timeline.add(INPUT_SHUTDOWN);
            inputShutdown.countDown();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        writabilityChanges.incrementAndGet();
        if (ctx.channel().isWritable()) {
            becameWritable.incrementAndGet();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        timeline.add(cause);
    }

    /** Takes the next read, failing after {@code seconds}. */
    Object nextRead(int seconds) throws InterruptedException {
        Object msg = reads.poll(seconds, TimeUnit.SECONDS);
        if (msg == null) {
            fail("no message arrived within " + seconds + " s; timeline " + timeline);
        }
        return msg;
    }

    /** Releases every message read so far, whether or not a test took it with {@link #nextRead}. */
    void releaseReads() {
        reads.clear();
        synchronized (owned) {
            owned.forEach(ReferenceCountUtil::release);
            owned.clear();
        }
    }

    static void await(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(10, TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    /** A buffer of {@code size} bytes whose first int is {@code seq}, from the pooled allocator. */
    static ByteBuf message(int seq, int size) {
        ByteBuf buf = ByteBufAllocator.DEFAULT.buffer(size);
        buf.writeInt(seq);
        buf.writeZero(size - Integer.BYTES);
        return buf;
    }

    static int seqOf(Object msg) {
        return ((ByteBuf) msg).getInt(((ByteBuf) msg).readerIndex());
    }

    /** Every buffer a test sent must end with no reference left, whichever path it took. */
    static void assertAllReleased(List<ByteBuf> sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < sent.size(); i++) {
            ByteBuf buf = sent.get(i);
            while (buf.refCnt() != 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(0, buf.refCnt(), "buffer #" + i + " of " + sent.size() + " still referenced");
        }
    }

    /** Runs {@code task} on the channel's loop and waits for it. */
    static void onLoop(Channel ch, Runnable task) {
        ch.eventLoop().submit(task).syncUninterruptibly();
    }
}
