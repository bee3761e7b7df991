package dev.muxgate.gateway.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import dev.muxgate.spdy.spdy.SpdyLimits;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile SPDY client can try and how the session ends it: a header block that inflates
 * without bound, floods of PINGs and resets, replies queued for a client that does not read, more
 * streams than allowed, a header block over the limit. Each cut-off is a GOAWAY, a closed
 * connection and a count in {@code muxgate_protocol_errors_total}; refusals of one stream leave
 * the session serving.
 */
@Timeout(90)
class SpdyAbuseTest {

    @TempDir
    Path dir;

    private SpdyGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static SpdyLimits limits(int maxStreams, int maxResets, int maxPings, int maxQueued) {
        SpdyLimits d = SpdyLimits.defaults();
        return new SpdyLimits(maxStreams, d.maxHeaderBlockBytes(), d.initialWindowBytes(), d.sessionWindowBytes(),
                maxResets, maxPings, d.maxSettingsPerWindow(), Duration.ofMinutes(5), maxQueued, d.idleTimeout());
    }

    @Test
    void aHeaderBlockThatInflatesPastItsBoundEndsTheSessionWithProtocolError() throws Exception {
        gw = SpdyGateway.start(dir);
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            client.sendRaw(zlibBomb(1, 8 * 1024 * 1024));
            SpdyGoAwayFrame away = client.goAway.get(20, TimeUnit.SECONDS);
            assertEquals(SpdySessionStatus.PROTOCOL_ERROR, away.status());
            assertTrue(client.channel.closeFuture().await(10, TimeUnit.SECONDS), "the session is closed");
        }
        SpdyGateway.awaitTrue("the session ended", Duration.ofSeconds(10), () -> gw.gateway.endedSessions() == 1);
        assertTrue(gw.metrics().contains("muxgate_protocol_errors_total{kind=\"goaway\"} 1.0"), gw.metrics());
    }

    @Test
    void aPingFloodIsCutOff() throws Exception {
        gw = SpdyGateway.start(dir, limits(100, 200, 50, 10_000), Duration.ofSeconds(10));
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            for (int i = 0; i < 60; i++) {
                client.channel.write(new DefaultSpdyPingFrame(2 * i + 1));
            }
            client.channel.flush();
            assertEquals(SpdySessionStatus.PROTOCOL_ERROR, client.goAway.get(20, TimeUnit.SECONDS).status());
            assertTrue(client.channel.closeFuture().await(10, TimeUnit.SECONDS));
            assertEquals(50, client.pings.size(), "the pings within the limit were answered");
        }
        SpdyGateway.awaitTrue("counted", Duration.ofSeconds(10),
                () -> gw.metrics().contains("muxgate_protocol_errors_total{kind=\"frame_flood\"} 1.0"));
    }

    @Test
    void rapidResetIsCutOffAndTheOtherSessionsAreServed() throws Exception {
        gw = SpdyGateway.start(dir, limits(100, 20, 1000, 10_000), Duration.ofSeconds(10));
        try (SpdyClient attacker = SpdyClient.connect(gw.port(), "spdy/3.1");
             SpdyClient bystander = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            for (int i = 0; i < 25; i++) {
                SpdySynStreamFrame syn = attacker.request("GET", "/delay/1000", true);
                attacker.channel.write(syn);
                attacker.channel.write(new DefaultSpdyRstStreamFrame(syn.streamId(), SpdyStreamStatus.CANCEL));
            }
            attacker.channel.flush();
            assertEquals(SpdySessionStatus.PROTOCOL_ERROR, attacker.goAway.get(20, TimeUnit.SECONDS).status());
            assertTrue(attacker.channel.closeFuture().await(10, TimeUnit.SECONDS));
            SpdyClient.Stream ok = bystander.open(bystander.request("GET", "/bytes/1000", true));
            assertEquals("end", ok.awaitEnd());
        }
        // Awaited: the session sends GOAWAY and closes before the reason goes down the pipeline
        // to be counted, so the close can be seen before the count.
        SpdyGateway.awaitTrue("rst_flood counted", Duration.ofSeconds(10),
                () -> gw.metrics().contains("muxgate_protocol_errors_total{kind=\"rst_flood\"} 1.0"));
        SpdyGateway.awaitTrue("no transaction left behind", Duration.ofSeconds(10),
                () -> gw.gateway.core().stats().activeTransactions() == 0);
    }

    @Test
    void pingRepliesQueuedForAClientThatDoesNotReadEndTheSession() throws Exception {
        gw = SpdyGateway.start(dir, limits(100, 200, Integer.MAX_VALUE, 100), Duration.ofSeconds(10));
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            client.channel.config().setAutoRead(false);
            long sent = 0;
            while (client.channel.isActive() && sent < 5_000_000) {
                for (int i = 0; i < 10_000; i++) {
                    client.channel.write(new DefaultSpdyPingFrame(1));
                }
                client.channel.writeAndFlush(new DefaultSpdyPingFrame(1)).await(10, TimeUnit.SECONDS);
                sent += 10_001;
                if (gw.metrics().contains("muxgate_protocol_errors_total{kind=\"frame_flood\"} 1.0")) {
                    break;
                }
            }
            SpdyGateway.awaitTrue("cut off", Duration.ofSeconds(20),
                    () -> gw.metrics().contains("muxgate_protocol_errors_total{kind=\"frame_flood\"} 1.0"));
            client.channel.config().setAutoRead(true);
            assertTrue(client.channel.closeFuture().await(20, TimeUnit.SECONDS), "the session is closed");
        }
    }

    @Test
    void aStreamPastTheConcurrentLimitIsRefusedAndTheOthersFinish() throws Exception {
        gw = SpdyGateway.start(dir, limits(2, 200, 1000, 10_000), Duration.ofSeconds(10));
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdyClient.Stream a = client.open(client.request("GET", "/delay/1000", true));
            SpdyClient.Stream b = client.open(client.request("GET", "/delay/1000", true));
            SpdyClient.Stream c = client.open(client.request("GET", "/delay/1000", true));
            assertEquals("reset " + SpdyStreamStatus.REFUSED_STREAM.code(), c.awaitEnd());
            assertEquals("end", a.awaitEnd());
            assertEquals("end", b.awaitEnd());
            SpdyClient.Stream d = client.open(client.request("GET", "/bytes/10", true));
            assertEquals("end", d.awaitEnd(), "a slot freed by a finished stream is usable");
        }
        assertEquals(3, gw.awaitLines(3).size());
    }

    @Test
    void aHeaderBlockOverTheLimitIsRefusedAndTheSessionServesOn() throws Exception {
        gw = SpdyGateway.start(dir);
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdySynStreamFrame big = client.request("GET", "/", true);
            big.headers().set("x-big", "a".repeat(20_000));
            SpdyClient.Stream s = client.open(big);
            assertEquals("reset " + SpdyStreamStatus.PROTOCOL_ERROR.code(), s.awaitEnd());
            SpdyClient.Stream ok = client.open(client.request("GET", "/bytes/10", true));
            assertEquals("end", ok.awaitEnd());
        }
        assertEquals(1, gw.gateway.malformedRequests());
    }

    /**
     * A SYN_STREAM whose header block is one value of {@code valueBytes} 'a's, deflated (no
     * dictionary, so it inflates as it is): a few KiB on the wire.
     */
    private static ByteBuf zlibBomb(int streamId, int valueBytes) {
        ByteBuf block = Unpooled.buffer();
        block.writeInt(1).writeInt(1).writeByte('x').writeInt(valueBytes);
        byte[] raw = new byte[block.readableBytes() + valueBytes];
        block.readBytes(raw, 0, block.readableBytes());
        java.util.Arrays.fill(raw, raw.length - valueBytes, raw.length, (byte) 'a');
        block.release();
        Deflater deflater = new Deflater(9);
        deflater.setInput(raw);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        int n;
        while ((n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH)) > 0) {
            compressed.write(chunk, 0, n);
        }
        deflater.end();
        byte[] headerBlock = compressed.toByteArray();
        ByteBuf frame = Unpooled.buffer(18 + headerBlock.length);
        frame.writeShort(0x8003).writeShort(1);                   // control frame, version 3, SYN_STREAM
        frame.writeByte(0x01).writeMedium(10 + headerBlock.length); // FLAG_FIN, length
        frame.writeInt(streamId).writeInt(0).writeByte(0).writeByte(0);
        frame.writeBytes(headerBlock);
        return frame;
    }
}
