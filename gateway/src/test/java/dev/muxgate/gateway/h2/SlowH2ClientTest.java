package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.LimitsConfig;
import io.netty.handler.codec.http2.Http2Error;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow HTTP/2 clients. One advertises a window of 0 and never opens it: its streams' responses can
 * never be sent, so each is reset after the stalled-stream time-out and its transaction ends, while
 * the session itself goes on. Another trickles a request body a byte a second: it falls under the
 * core's minimum body rate, and its stream is reset (the demo's /echo has already answered; a
 * request not yet answered gets 408). A well-behaved session is served meanwhile.
 */
@Timeout(180)
class SlowH2ClientTest {

    private static final Duration STALL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void aBodyTrickledAByteASecondGets408() throws Exception {
        Duration bodyTimeout = Duration.ofSeconds(2);
        try (H2Gateway gw = H2Gateway.start(dir, c -> {
                    LimitsConfig l = c.core().limits();
                    return c.withCore(c.core().withLimits(new LimitsConfig(l.requestLineBytes(), l.headerBytes(),
                            l.headerCount(), l.requestBodyBytes(), l.headerTimeout(), bodyTimeout, l.idleTimeout(),
                            l.pipelinedRequests(), LimitsConfig.DEFAULT_BODY_MIN_RATE)));
                });
             Bystander good = Bystander.start(gw.port());
             RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            RawH2.Hpack head = new RawH2.Hpack().literal(":method", "POST").literal(":scheme", "https")
                    .literal(":authority", "127.0.0.1").literal(":path", "/echo").literal("content-length", "100");
            attacker.frame(RawH2.HEADERS, RawH2.END_HEADERS, 1, head.bytes());
            attacker.flush();
            int sent = 0;
            long start = System.nanoTime();
            RawH2.Frame end = null;
            while (sent < 100 && end == null) {
                try {
                    attacker.frame(RawH2.DATA, 0, 1, new byte[] {'x'});
                    attacker.flush();
                    sent++;
                } catch (java.io.IOException closed) {
                    break;
                }
                // /echo answers at once and streams the body back, so the cut can only be a reset.
                end = attacker.await(f -> f.stream() == 1 && (f.type() == RawH2.RST_STREAM
                        || (f.flags() & RawH2.END_STREAM) != 0 && f.type() != RawH2.RST_STREAM)
                        || f.type() == RawH2.GOAWAY, 1);
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertNotNull(end, "a trickled body was taken to its end (" + sent + " bytes)");
            assertEquals(RawH2.RST_STREAM, end.type(), "the stream is reset, not ended as if complete");
            System.out.printf("h2 body trickle (1 byte/s, body time-out %d s, minimum %d B/s): RST_STREAM %s after %d s "
                    + "and %d of 100 bytes; the session stays open: %b%n", bodyTimeout.toSeconds(),
                    LimitsConfig.DEFAULT_BODY_MIN_RATE, Http2Error.valueOf(end.errorCodeOfReset()), seconds, sent,
                    !attacker.ended());
            assertTrue(sent < 100);
            // The bystander's lines are there already: wait for the trickled stream's own.
            java.util.function.Predicate<String[]> cut = f -> f[H2Gateway.URL].endsWith("/echo")
                    && f[H2Gateway.CRC].equals("ERR_CLIENT_READ_ERROR");
            List<String[]> lines = gw.awaitLine("/echo ended ERR_CLIENT_READ_ERROR", cut);
            assertTrue(lines.stream().anyMatch(cut), H2Gateway.show(lines));
            good.assertServedThroughout();
        }
    }

    @Test
    void streamsAClientNeverLetsUsSendOnAreResetAfterTheStallTimeout() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, c -> c.withH2(c.h2().withStalledStreamTimeout(STALL)));
             Bystander good = Bystander.start(gw.port());
             RawH2 attacker = RawH2.connect(gw.port(), true)) {
            double before = Scrape.protocolErrors(gw.gateway, "stalled_stream");
            // SETTINGS_INITIAL_WINDOW_SIZE (0x4) = 0: no DATA may ever be sent on a stream.
            attacker.preface(new byte[] {0, 4, 0, 0, 0, 0});
            int streams = 10;
            long start = System.nanoTime();
            for (int i = 0, stream = 1; i < streams; i++, stream += 2) {
                attacker.request(stream, "GET", "/bytes/10485760", true);
            }
            attacker.flush();
            H2Gateway.awaitTrue("every stalled stream reset", Duration.ofSeconds(120),
                    () -> attacker.resetsReceived() >= streams || attacker.ended());
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            for (int i = 0, stream = 1; i < streams; i++, stream += 2) {
                assertEquals(Http2Error.CANCEL.code(), attacker.resetOf(stream), "stream " + stream);
            }
            System.out.printf("zero-window stall: %d streams of 10 MiB responses, all reset after %d s "
                    + "(stall time-out %d s); the session stays open: %b%n", streams, seconds, STALL.toSeconds(),
                    !attacker.ended());
            assertTrue(!attacker.ended(), "the session itself is not cut for a stall");
            H2Gateway.awaitTrue("the transactions behind the streams ended", Duration.ofSeconds(30),
                    () -> gw.gateway.core().stats().activeTransactions() <= 1);
            assertEquals(before + streams, Scrape.protocolErrors(gw.gateway, "stalled_stream"));
            // The same session can still be served once it lets data through.
            attacker.frame(RawH2.SETTINGS, 0, 0, new byte[] {0, 4, 0, 0, (byte) 0xff, (byte) 0xff});
            attacker.request(21, "GET", "/bytes/100", true);
            attacker.flush();
            assertNotNull(attacker.await(f -> f.stream() == 21 && (f.flags() & RawH2.END_STREAM) != 0, 30));
            good.assertServedThroughout();
        }
    }
}
