package dev.muxgate.gateway.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SPDY client that stops reading never makes the gateway hold a whole body: a 1 GiB download
 * stalls at about the client's windows plus socket buffers and completes once the client reads
 * again; an upload faster than the core reads is held to the stream window. Memory is measured in
 * this JVM (gateway and client together) as pooled buffer memory plus live heap.
 */
@Timeout(240)
class SpdyBackpressureTest {

    private static final long LIMIT = 64L * 1024 * 1024;
    private static final int CLIENT_WINDOW = 8 * 1024 * 1024;

    @TempDir
    Path dir;

    private SpdyGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = SpdyGateway.start(dir);
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
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1", CLIENT_WINDOW)) {
            long base = memoryInUse();
            SpdyClient.Stream s = client.open(client.request("GET", "/bytes/" + size, true));
            assertEquals("200 OK", s.status());
            SpdyGateway.awaitTrue("the first MiB", Duration.ofSeconds(20), () -> s.bytes.get() >= 1024 * 1024);
            client.channel.config().setAutoRead(false);
            long stalledAt = awaitStall(s.bytes);
            long peak = peakGrowthOver(Duration.ofSeconds(2), base);
            System.out.printf("spdy download stall: client read %d MiB, gateway+client memory growth peak %.1f MiB%n",
                    stalledAt >> 20, peak / 1048576.0);
            assertTrue(peak < LIMIT, "memory grew by " + peak + " bytes while the client did not read");
            assertTrue(stalledAt < size / 4, "the transfer did stall");
            client.channel.config().setAutoRead(true);
            awaitEnd(s, new AtomicLong());
            assertEquals(size, s.bytes.get());
        }
        List<String[]> lines = gw.awaitLines(1);
        assertEquals(String.valueOf(size), lines.get(0)[SpdyGateway.PSQL], SpdyGateway.show(lines));
    }

    @Test
    void anUploadIsHeldToTheStreamWindowWhileTheResponseIsNotReadThenCompletes() throws Exception {
        long size = 64L * 1024 * 1024;
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1", CLIENT_WINDOW)) {
            int initialWindow = client.settings.get(10, TimeUnit.SECONDS)
                    .getValue(io.netty.handler.codec.spdy.SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE);
            SpdySynStreamFrame syn = client.request("POST", "/echo", false);
            SpdyClient.Stream s = client.open(syn);
            client.channel.config().setAutoRead(false);
            AtomicLong sent = new AtomicLong();
            // Unread echo fills the client's socket, so the gateway's stream blocks, the core stops
            // reading the body, and the stream window stops the upload.
            Thread pump = new Thread(() -> {
                byte[] chunk = new byte[16 * 1024];
                while (sent.get() < size && client.channel.isActive()) {
                    boolean last = sent.get() + chunk.length >= size;
                    SpdyDataFrame data = new DefaultSpdyDataFrame(syn.streamId(), Unpooled.wrappedBuffer(chunk));
                    data.setLast(last);
                    // A well-behaved sender: within the stream window the gateway grants, and never
                    // faster than its own socket drains.
                    while ((sent.get() + chunk.length > initialWindow + s.sendCredit.get() || !client.channel.isWritable())
                            && client.channel.isActive()) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    client.channel.writeAndFlush(data);
                    sent.addAndGet(chunk.length);
                }
            });
            pump.start();
            long stalledAt = awaitStall(sent);
            assertTrue(stalledAt < size / 2, "the upload did stall (sent " + stalledAt + ")");
            assertTrue(stalledAt <= initialWindow + s.sendCredit.get(), "within the window");
            // Reading again: the echo drains, the core reads the body, and the window reopens.
            client.channel.config().setAutoRead(true);
            client.channel.read();
            awaitEnd(s, sent);
            pump.join(10_000);
            assertEquals(size, sent.get());
            assertTrue(s.bytes.get() > size, "echo is the head then the body: " + s.bytes.get());
        }
    }

    private void awaitEnd(SpdyClient.Stream s, AtomicLong sent) throws Exception {
        long last = -1;
        long lastMove = System.nanoTime();
        while (!s.end.isDone()) {
            long now = sent.get() + s.bytes.get();
            if (now != last) {
                last = now;
                lastMove = System.nanoTime();
            } else if (System.nanoTime() - lastMove > TimeUnit.SECONDS.toNanos(10)) {
                var stats = gw.gateway.core().stats();
                throw new AssertionError("no progress for 10 s: sent " + sent.get() + ", received " + s.bytes.get()
                        + ", core plugin connections " + stats.openPluginConnections() + ", active transactions "
                        + stats.activeTransactions());
            }
            Thread.sleep(50);
        }
        assertEquals("end", s.end.get());
    }

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
        System.gc();
        long buffers = 0;
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider m) {
            buffers += m.metric().usedDirectMemory() + m.metric().usedHeapMemory();
        }
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT) {
            buffers += PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory()
                    + PooledByteBufAllocator.DEFAULT.metric().usedHeapMemory();
        }
        return buffers + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
