package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that advertises a window of 0 and never opens it: its streams' responses can never be
 * sent. Each such stream is reset after the stalled-stream time-out, its transaction behind it
 * ends, the session itself goes on, and a well-behaved session is served meanwhile.
 */
@Timeout(180)
class ZeroWindowStallTest {

    private static final Duration STALL = Duration.ofSeconds(2);

    @TempDir
    Path dir;

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
