package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP/2 frame floods (CVE-2019-9512..9518, the CONTINUATION flood of 2024, rapid reset of
 * 2023): each one, sent by a raw client over real TLS, ends its session with GOAWAY (or a close)
 * at a bounded cost, shows in {@code muxgate_protocol_errors_total}, and a well-behaved client on
 * another session is served all along. Every figure printed here goes to docs/RELIABILITY.md.
 */
@Timeout(180)
class H2FloodTest {

    private static final long MIB = 1024 * 1024;

    @TempDir
    static Path dir;

    private static H2Gateway gw;

    @BeforeAll
    static void start() throws Exception {
        gw = H2Gateway.start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void rapidResetIsCutLongBefore100000Resets() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "rst_flood");
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            int pairs = 0;
            try {
                for (int stream = 1; pairs < 100_000 && attacker.goAway() == null && !attacker.ended(); stream += 2) {
                    attacker.request(stream, "GET", "/delay/1000", true);
                    attacker.frame(RawH2.RST_STREAM, 0, stream, RawH2.u32(Http2Error.CANCEL.code()));
                    pairs++;
                    if (pairs % 64 == 0) {
                        attacker.flush();
                    }
                }
                attacker.flush();
            } catch (IOException cut) {
                // The gateway closed the connection under the client's writes.
            }
            assertTrue(attacker.awaitEnd(60), "the rapid-reset session was never closed");
            RawH2.Frame goAway = attacker.goAway();
            assertNotNull(goAway, "GOAWAY before the close");
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), goAway.errorCodeOfGoAway());
            System.out.printf("rapid reset: GOAWAY ENHANCE_YOUR_CALM; the client had written %d HEADERS+RST pairs "
                    + "when it saw it%n", pairs);
            assertTrue(pairs < 100_000, "the client wrote all its 100,000 resets");
            good.assertServedThroughout();
        }
        assertEquals(before + 1, Scrape.protocolErrors(gw.gateway, "rst_flood"));
    }

    @Test
    void continuationFloodOfSmallFramesEndsBeforeOneMebibyte() throws Exception {
        long accepted = continuationFlood(1);
        assertTrue(accepted < MIB, "header block bytes sent before the cut: " + accepted);
    }

    @Test
    void continuationFloodOfFullFramesEndsBeforeOneMebibyte() throws Exception {
        long accepted = continuationFlood(16_384);
        assertTrue(accepted < MIB, "header block bytes sent before the cut: " + accepted);
    }

    /**
     * A header block that never ends: HEADERS without END_HEADERS, then CONTINUATION frames of
     * {@code frameBytes} each, paced so the client cannot run far ahead of what the gateway has
     * read. Returns the header block bytes the client got written before the gateway's GOAWAY.
     */
    private long continuationFlood(int frameBytes) throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "frame_flood") + Scrape.protocolErrors(gw.gateway, "goaway");
        long block = 0;
        int frames = 0;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            // The block starts as a real request, then one header whose value never ends.
            byte[] start = attacker.requestBlock("GET", "/");
            attacker.frame(RawH2.HEADERS, 0, 1, start);
            block += start.length;
            byte[] fragment = new byte[frameBytes];
            Arrays.fill(fragment, (byte) 0x40);
            long sinceFlush = 0;
            try {
                while (block < 8 * MIB && attacker.goAway() == null && !attacker.ended()) {
                    attacker.frame(RawH2.CONTINUATION, 0, 1, fragment);
                    block += frameBytes;
                    frames++;
                    sinceFlush += frameBytes + 9;
                    if (sinceFlush >= 4096) {
                        attacker.flush();
                        sinceFlush = 0;
                        Thread.sleep(2);
                    }
                }
                attacker.flush();
            } catch (IOException cut) {
                // Closed under the client's writes.
            }
            assertTrue(attacker.awaitEnd(60), "the CONTINUATION flood session was never closed");
            RawH2.Frame goAway = attacker.goAway();
            assertNotNull(goAway, "GOAWAY before the close");
            System.out.printf("continuation flood (%d-byte frames): GOAWAY %s after %d frames, %d header block bytes sent%n",
                    frameBytes, Http2Error.valueOf(goAway.errorCodeOfGoAway()), frames, block);
            good.assertServedThroughout();
        }
        double after = Scrape.protocolErrors(gw.gateway, "frame_flood") + Scrape.protocolErrors(gw.gateway, "goaway");
        assertEquals(before + 1, after, "the cut is counted");
        return block;
    }

    @Test
    void pingFloodFromAClientThatNeverReadsIsCut() throws Exception {
        long pings = controlFloodWithoutReading(RawH2.frameBytes(RawH2.PING, 0, 0, new byte[8]), "PING");
        assertTrue(pings > 0);
    }

    @Test
    void settingsFloodFromAClientThatNeverReadsIsCut() throws Exception {
        long settings = controlFloodWithoutReading(RawH2.frameBytes(RawH2.SETTINGS, 0, 0, new byte[0]), "SETTINGS");
        assertTrue(settings > 0);
    }

    /**
     * A client that sends control frames the gateway must acknowledge, and never reads: the
     * acknowledgements queue until the queued-control-frame guard cuts the session. Returns how many
     * frames the client got written before its writes failed.
     */
    private long controlFloodWithoutReading(byte[] frame, String what) throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "frame_flood");
        long limit = 5_000_000;
        long sent = 0;
        int batch = 1000;
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        for (int i = 0; i < batch; i++) {
            many.write(frame);
        }
        byte[] burst = many.toByteArray();
        try (Bystander good = Bystander.start(gw.port());
             RawH2 attacker = RawH2.connect(gw.port(), false, 4096)) {
            attacker.preface();
            try {
                while (sent < limit) {
                    attacker.write(burst);
                    attacker.flush();
                    sent += batch;
                }
            } catch (IOException cut) {
                // The gateway cut the session: that is the point.
            }
            System.out.printf("%s flood, client never reads: cut after %d frames written (%d MiB)%n",
                    what, sent, sent * frame.length / MIB);
            assertTrue(sent < limit, "the gateway took " + limit + " " + what + " frames without cutting the session");
            H2Gateway.awaitTrue("the flood counted", java.time.Duration.ofSeconds(30),
                    () -> Scrape.protocolErrors(gw.gateway, "frame_flood") > before);
            good.assertServedThroughout();
        }
        return sent;
    }

    @Test
    void emptyDataFrameFloodIsCut() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "frame_flood");
        int frames = 0;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            attacker.request(1, "POST", "/echo", false);
            try {
                while (frames < 100_000 && attacker.goAway() == null && !attacker.ended()) {
                    attacker.frame(RawH2.DATA, 0, 1, new byte[0]);
                    attacker.flush();
                    frames++;
                }
            } catch (IOException cut) {
                // Closed under the writes.
            }
            assertTrue(attacker.awaitEnd(60), "the empty-DATA session was never closed");
            assertNotNull(attacker.goAway());
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), attacker.goAway().errorCodeOfGoAway());
            System.out.printf("empty DATA flood: GOAWAY ENHANCE_YOUR_CALM after %d empty frames written%n", frames);
            assertTrue(frames < 100_000);
            good.assertServedThroughout();
        }
        assertEquals(before + 1, Scrape.protocolErrors(gw.gateway, "frame_flood"));
    }

    @Test
    void hpackBombIsRefusedWithoutHarmingTheGateway() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            // One 4,000-byte entry in the dynamic table, then referenced 1,000 times: 4 MB of
            // decoded headers out of a 5 KB block, against an advertised 16 KiB list.
            RawH2.Hpack bomb = new RawH2.Hpack();
            bomb.literal(":method", "GET").literal(":scheme", "https").literal(":authority", "127.0.0.1")
                    .literal(":path", "/status/299");
            char[] value = new char[4000];
            Arrays.fill(value, 'a');
            bomb.indexedLiteral("x-bomb", new String(value));
            for (int i = 0; i < 1000; i++) {
                bomb.indexed(62);
            }
            byte[] block = bomb.bytes();
            attacker.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, block);
            attacker.flush();
            RawH2.Frame answer = attacker.await(f -> f.stream() == 1 || f.type() == RawH2.GOAWAY, 30);
            assertNotNull(answer, "no answer to the bomb");
            String what = answer.type() == RawH2.HEADERS ? "response HEADERS"
                    : answer.type() == RawH2.RST_STREAM ? "RST_STREAM " + Http2Error.valueOf(answer.errorCodeOfReset())
                    : answer.type() == RawH2.GOAWAY ? "GOAWAY " + Http2Error.valueOf(answer.errorCodeOfGoAway())
                    : "frame type " + answer.type();
            System.out.printf("HPACK bomb: a %d-byte block decoding to %d bytes answered with %s%n",
                    block.length, 1000L * (4000 + 6), what);
            assertTrue(answer.type() != RawH2.HEADERS || answer.payload().length > 0);
            if (answer.type() == RawH2.HEADERS) {
                io.netty.buffer.ByteBuf payload = io.netty.buffer.Unpooled.wrappedBuffer(answer.payload());
                try {
                    CharSequence status = new io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder(false)
                            .decodeHeaders(1, payload).status();
                    System.out.printf("HPACK bomb: the response status is %s%n", status);
                    assertEquals("431", String.valueOf(status));
                } finally {
                    payload.release();
                }
                // Netty answers a too-large list with 431 (then a reset): never a 200.
                assertTrue(attacker.await(f -> f.type() == RawH2.RST_STREAM && f.stream() == 1, 30) != null
                        || attacker.ended(), "the stream ends after the 431");
            }
            good.assertServedThroughout();
        }
        assertEquals(0, gw.lines().stream().filter(f -> f[H2Gateway.URL].contains("/status/299")).count(),
                "the bomb never reached the core");
    }
}
