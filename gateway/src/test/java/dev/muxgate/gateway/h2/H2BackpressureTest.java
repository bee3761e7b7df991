package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that stops reading never makes the gateway hold a whole body: a download stalls at
 * about the client's window plus socket buffers, an upload to the echo origin whose response is
 * not read stalls the same way, and both complete once the client reads again. Memory is measured
 * in this JVM (gateway and client together) as the pooled allocator's direct memory plus live heap.
 */
@Timeout(180)
class H2BackpressureTest {

    private static final long LIMIT = 64L * 1024 * 1024;
    /** What the client grants per stream and for the connection: more than Netty's 64 KiB default. */
    private static final int CLIENT_WINDOW = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    private H2Gateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = H2Gateway.start(dir);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void oneGibDownloadToAStalledReaderStaysBoundedThenCompletes() throws Exception {
        long size = 1024L * 1024 * 1024;
        try (H2Client client = H2Client.connect(gw.port(), CLIENT_WINDOW)) {
            long base = memoryInUse();
            H2Client.Recorder r = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(r);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", "/bytes/" + size), true));
            assertEquals("200", r.status());
            H2Gateway.awaitTrue("the first MiB", Duration.ofSeconds(20), () -> r.bytes.get() >= 1024 * 1024);
            client.parent.config().setAutoRead(false);
            long stalledAt = awaitStall(r.bytes);
            long peak = peakGrowthOver(Duration.ofSeconds(2), base);
            System.out.printf("h2 download stall: client read %d MiB, gateway+client memory growth peak %.1f MiB%n",
                    stalledAt >> 20, peak / 1048576.0);
            assertTrue(peak < LIMIT, "memory grew by " + peak + " bytes while the client did not read");
            assertTrue(stalledAt < size / 4, "the transfer did stall");

            client.parent.config().setAutoRead(true);
            client.parent.read();
            awaitEnd(r, r.bytes);
            assertEquals(size, r.bytes.get());
        }
        List<String[]> lines = gw.awaitLines(1);
        assertEquals(String.valueOf(size), lines.get(0)[H2Gateway.PSQL], H2Gateway.show(lines));
    }

    @Test
    void largeUploadToEchoWhoseResponseIsNotReadStaysBoundedThenCompletes() throws Exception {
        long size = 256L * 1024 * 1024;
        try (H2Client client = H2Client.connect(gw.port(), CLIENT_WINDOW)) {
            long base = memoryInUse();
            H2Client.Recorder r = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(r);
            // The stream does not read: its response piles up only to the window the client grants.
            stream.config().setAutoRead(false);
            Uploader up = new Uploader(size);
            stream.pipeline().addFirst(up);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("POST", "/echo")
                    .set("content-length", String.valueOf(size)), false));
            stream.eventLoop().execute(() -> up.pump(stream));
            long stalledAt = awaitStall(up.sent);
            long peak = peakGrowthOver(Duration.ofSeconds(2), base);
            System.out.printf("h2 upload stall: client sent %d MiB, gateway+client memory growth peak %.1f MiB%n",
                    stalledAt >> 20, peak / 1048576.0);
            assertTrue(peak < LIMIT, "memory grew by " + peak + " bytes while the client did not read");
            assertTrue(stalledAt < size / 2, "the upload did stall (sent " + stalledAt + ")");

            stream.config().setAutoRead(true);
            stream.read();
            awaitEnd(r, up.sent);
            assertEquals(size, up.sent.get());
            assertTrue(r.bytes.get() > size, "echo is the head then the body: " + r.bytes.get());
            up.done.get(5, TimeUnit.SECONDS);
        }
    }

    /** Writes DATA while the stream is writable, the last frame ending the stream. */
    private static final class Uploader extends io.netty.channel.ChannelInboundHandlerAdapter {
        final AtomicLong sent = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        private final long size;
        private static final int CHUNK = 16 * 1024;

        Uploader(long size) {
            this.size = size;
        }

        void pump(Http2StreamChannel stream) {
            while (stream.isActive() && stream.isWritable() && sent.get() < size) {
                int n = (int) Math.min(CHUNK, size - sent.get());
                ByteBuf chunk = stream.alloc().buffer(n).writeZero(n);
                boolean last = sent.addAndGet(n) == size;
                stream.write(new DefaultHttp2DataFrame(chunk, last));
                if (last) {
                    done.complete(null);
                }
            }
            stream.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            pump((Http2StreamChannel) ctx.channel());
            ctx.fireChannelWritabilityChanged();
        }
    }

    /** Waits for the end of the response as long as bytes keep moving (10 s without progress fail). */
    private void awaitEnd(H2Client.Recorder r, AtomicLong sent) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (!r.end.isDone()) {
            long now = sent.get() + r.bytes.get();
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(10)) {
                var stats = gw.gateway.core().stats();
                throw new AssertionError("no progress for 10 s: sent " + sent.get() + ", received " + r.bytes.get()
                        + ", core plugin connections " + stats.openPluginConnections() + ", active transactions "
                        + stats.activeTransactions());
            }
            Thread.sleep(50);
        }
        assertEquals("end", r.end.get());
    }

    /** Waits until {@code progress} has not moved for half a second. */
    private static long awaitStall(AtomicLong progress) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        while (System.nanoTime() < deadline) {
            long now = progress.get();
            if (now == last) {
                return now;
            }
            last = now;
            Thread.sleep(500);
        }
        throw new AssertionError("never stalled: " + progress.get());
    }

    private static long peakGrowthOver(Duration d, long base) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        long peak = 0;
        while (System.nanoTime() < end) {
            peak = Math.max(peak, memoryInUse() - base);
            Thread.sleep(200);
        }
        return peak;
    }

    private static long memoryInUse() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        System.gc();
        long buffers = 0;
        // Netty 4.2's default allocator is the adaptive one; count the classic pool too.
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider m) {
            buffers += m.metric().usedDirectMemory() + m.metric().usedHeapMemory();
        }
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT) {
            buffers += PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                    + PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory();
        }
        return buffers + mx.getHeapMemoryUsage().getUsed();
    }
}
