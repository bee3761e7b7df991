package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on HTTP/2 streams rather than frame counts: provoking stream errors on purpose
 * (MadeYouReset), PRIORITY floods, more streams than advertised, a bad preface, frames on closed
 * streams. Each ends in a bounded refusal while a well-behaved session is served meanwhile.
 */
@Timeout(180)
class H2StreamAbuseTest {

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

    /**
     * CVE-2025-8671: the client never resets anything itself; it makes the server reset, here with
     * WINDOW_UPDATE 0 on each stream it opened. Every reset must carry its real code and count
     * against the sent-reset limit, so the session ends.
     */
    @Test
    void madeYouResetIsCutByCountingTheResetsTheGatewaySends() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "rst_flood");
        int streams = 0;
        long protocolErrors = 0;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            try {
                for (int stream = 1; streams < 10_000 && attacker.goAway() == null && !attacker.ended(); stream += 2) {
                    attacker.request(stream, "GET", "/delay/30000", true);
                    attacker.frame(RawH2.WINDOW_UPDATE, 0, stream, RawH2.u32(0));
                    attacker.flush();
                    streams++;
                    final int s = stream;
                    // One at a time, so no reset is REFUSED_STREAM for exceeding the stream limit.
                    RawH2.Frame reset = attacker.await(f -> f.type() == RawH2.RST_STREAM && f.stream() == s
                            || f.type() == RawH2.GOAWAY, 30);
                    if (reset != null && reset.type() == RawH2.RST_STREAM) {
                        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCodeOfReset(),
                                "the reset carries the real error, not CANCEL");
                        protocolErrors++;
                    }
                }
            } catch (IOException cut) {
                // Closed under the writes.
            }
            assertTrue(attacker.awaitEnd(60), "a MadeYouReset session was never closed");
            assertNotNull(attacker.goAway(), "GOAWAY before the close");
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), attacker.goAway().errorCodeOfGoAway());
            System.out.printf("MadeYouReset (WINDOW_UPDATE 0): GOAWAY ENHANCE_YOUR_CALM after %d streams; "
                    + "the gateway had sent %d RST_STREAM(PROTOCOL_ERROR)%n", streams, protocolErrors);
            assertTrue(streams < 10_000);
            good.assertServedThroughout();
        }
        assertEquals(before + 1, Scrape.protocolErrors(gw.gateway, "rst_flood"));
    }

    /**
     * The same on streams whose response is already complete while the client still has its
     * request body open: closing such a stream channel would reset it with CANCEL, which Netty's
     * sent-reset limit does not count.
     */
    @Test
    void madeYouResetOnAnsweredStreamsIsCutToo() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "rst_flood");
        int streams = 0;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            try {
                for (int stream = 1; streams < 2_000 && attacker.goAway() == null && !attacker.ended(); stream += 2) {
                    attacker.request(stream, "POST", "/status/204", false);
                    attacker.flush();
                    final int s = stream;
                    // The answer is complete (204 ends the stream on our side) before the request body.
                    RawH2.Frame answered = attacker.await(f -> f.stream() == s && (f.flags() & RawH2.END_STREAM) != 0
                            || f.type() == RawH2.GOAWAY, 30);
                    if (answered == null || answered.type() == RawH2.GOAWAY) {
                        break;
                    }
                    attacker.frame(RawH2.WINDOW_UPDATE, 0, stream, RawH2.u32(0));
                    attacker.flush();
                    streams++;
                    attacker.await(f -> f.type() == RawH2.RST_STREAM && f.stream() == s || f.type() == RawH2.GOAWAY, 30);
                }
            } catch (IOException cut) {
                // Closed under the writes.
            }
            assertTrue(attacker.awaitEnd(60), "a MadeYouReset session on answered streams was never closed after "
                    + streams + " streams");
            assertNotNull(attacker.goAway(), "GOAWAY before the close");
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), attacker.goAway().errorCodeOfGoAway());
            System.out.printf("MadeYouReset on answered streams: GOAWAY ENHANCE_YOUR_CALM after %d streams; "
                    + "the first reset was %s%n", streams, attacker.resetOf(1) == null ? "none"
                    : Http2Error.valueOf(attacker.resetOf(1)));
            good.assertServedThroughout();
        }
        assertEquals(before + 1, Scrape.protocolErrors(gw.gateway, "rst_flood"));
    }

    @Test
    void priorityFloodIsCutEvenWhenTheClientReads() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "frame_flood");
        int frames = 0;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            byte[] priority = {0, 0, 0, 0, 15};
            try {
                for (int stream = 3; frames < 1_000_000 && attacker.goAway() == null && !attacker.ended(); stream += 2) {
                    // Streams never opened: Netty ignores these, so nothing else would ever count them.
                    attacker.frame(RawH2.PRIORITY, 0, stream, priority);
                    frames++;
                    if (frames % 100 == 0) {
                        attacker.flush();
                    }
                }
                attacker.flush();
            } catch (IOException cut) {
                // Closed under the writes.
            }
            assertTrue(attacker.awaitEnd(60), "a PRIORITY flood session was never closed");
            assertNotNull(attacker.goAway());
            assertEquals(Http2Error.ENHANCE_YOUR_CALM.code(), attacker.goAway().errorCodeOfGoAway());
            System.out.printf("PRIORITY flood (client reads): GOAWAY ENHANCE_YOUR_CALM; the client had written %d frames%n",
                    frames);
            assertTrue(frames < 1_000_000);
            good.assertServedThroughout();
        }
        assertEquals(before + 1, Scrape.protocolErrors(gw.gateway, "frame_flood"));
    }

    @Test
    void streamsPastTheAdvertisedLimitAreRefused() throws Exception {
        int limit = 100;
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            // The settings frame that says so comes first.
            assertNotNull(attacker.await(f -> f.type() == RawH2.SETTINGS, 30));
            int extra = 20;
            for (int i = 0, stream = 1; i < limit + extra; i++, stream += 2) {
                attacker.request(stream, "GET", "/delay/20000", true);
            }
            attacker.flush();
            H2Gateway.awaitTrue("the refusals", java.time.Duration.ofSeconds(60),
                    () -> attacker.resetsReceived() >= extra || attacker.ended());
            long refused = 0;
            for (int i = 0, stream = 1; i < limit + extra; i++, stream += 2) {
                Long code = attacker.resetOf(stream);
                if (code != null && code == Http2Error.REFUSED_STREAM.code()) {
                    refused++;
                }
            }
            System.out.printf("max concurrent streams: %d streams opened at once, %d refused with REFUSED_STREAM%n",
                    limit + extra, refused);
            assertEquals(extra, refused, "exactly the streams past the limit are refused");
            good.assertServedThroughout();
        }
    }

    /**
     * Stream ids only grow (RFC 9113 5.1.1): a client that jumps to the last id has used up its
     * session. Every request it sends after that, on a lower id, is refused without reaching the
     * core (Netty answers each with a stream reset rather than the connection error the RFC asks
     * for), and those resets count against the sent-reset limit, so the session ends.
     */
    @Test
    void afterTheLastStreamIdNoRequestIsServedAndTheSessionEnds() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            int last = Integer.MAX_VALUE;
            attacker.request(last, "GET", "/bytes/5", true);
            attacker.flush();
            assertNotNull(attacker.await(f -> f.stream() == last && (f.flags() & RawH2.END_STREAM) != 0, 30),
                    "the stream with the last id is served");
            int sent = 0;
            try {
                for (int stream = 1; sent < 10_000 && attacker.goAway() == null && !attacker.ended(); stream += 2) {
                    attacker.request(stream, "GET", "/status/299", true);
                    attacker.flush();
                    sent++;
                    final int s = stream;
                    attacker.await(f -> f.stream() == s || f.type() == RawH2.GOAWAY, 10);
                }
            } catch (IOException cut) {
                // Closed under the writes.
            }
            assertTrue(attacker.awaitEnd(60), "a session past its last stream id was never closed");
            assertNotNull(attacker.goAway());
            Long first = attacker.resetOf(1);
            System.out.printf("stream-id exhaustion: stream 2147483647 served; then %d requests on lower ids, "
                    + "the first answered %s, until GOAWAY %s%n", sent,
                    first == null ? "with nothing" : "RST_STREAM " + Http2Error.valueOf(first),
                    Http2Error.valueOf(attacker.goAway().errorCodeOfGoAway()));
            assertTrue(sent < 10_000);
            good.assertServedThroughout();
        }
        assertEquals(0, gw.lines().stream().filter(f -> f[H2Gateway.URL].contains("/status/299")).count(),
                "a request on a lower stream id reached the core");
    }

    @Test
    void invalidPrefaceEndsTheSessionWithAProtocolError() throws Exception {
        double before = Scrape.protocolErrors(gw.gateway, "goaway");
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            attacker.flush();
            assertTrue(attacker.awaitEnd(60), "a session with a bad preface stays open");
            RawH2.Frame goAway = attacker.goAway();
            System.out.printf("invalid preface: %s, then close%n",
                    goAway == null ? "no GOAWAY" : "GOAWAY " + Http2Error.valueOf(goAway.errorCodeOfGoAway()));
            assertTrue(goAway == null || goAway.errorCodeOfGoAway() == Http2Error.PROTOCOL_ERROR.code());
            good.assertServedThroughout();
        }
        assertTrue(Scrape.protocolErrors(gw.gateway, "goaway") <= before + 1);
    }

    @Test
    void framesOnClosedStreamsAreAnsweredAndTheSessionGoesOn() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); RawH2 attacker = RawH2.connect(gw.port(), true)) {
            attacker.preface();
            attacker.request(1, "GET", "/bytes/10", true);
            attacker.flush();
            assertNotNull(attacker.await(f -> f.stream() == 1 && f.type() == RawH2.DATA
                    && (f.flags() & RawH2.END_STREAM) != 0, 30), "the first stream is served");
            // Stream 1 is closed now: DATA on it is a STREAM_CLOSED error (RFC 9113 5.1).
            attacker.frame(RawH2.DATA, RawH2.END_STREAM, 1, new byte[] {1, 2, 3});
            attacker.frame(RawH2.RST_STREAM, 0, 1, RawH2.u32(Http2Error.CANCEL.code()));
            attacker.flush();
            RawH2.Frame answer = attacker.await(f -> f.type() == RawH2.RST_STREAM && f.stream() == 1
                    || f.type() == RawH2.GOAWAY, 30);
            assertNotNull(answer, "the frame on a closed stream is answered");
            System.out.printf("frames on a closed stream: answered with %s%n", answer.type() == RawH2.GOAWAY
                    ? "GOAWAY " + Http2Error.valueOf(answer.errorCodeOfGoAway())
                    : "RST_STREAM " + Http2Error.valueOf(answer.errorCodeOfReset()));
            if (answer.type() == RawH2.RST_STREAM) {
                assertEquals(Http2Error.STREAM_CLOSED.code(), answer.errorCodeOfReset());
                attacker.request(3, "GET", "/bytes/7", true);
                attacker.flush();
                assertNotNull(attacker.await(f -> f.stream() == 3 && (f.flags() & RawH2.END_STREAM) != 0, 30),
                        "the session still serves");
            }
            good.assertServedThroughout();
        }
    }
}
