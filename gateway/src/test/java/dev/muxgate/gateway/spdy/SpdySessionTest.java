package dev.muxgate.gateway.spdy;

import static dev.muxgate.gateway.spdy.SpdyGateway.CRC;
import static dev.muxgate.gateway.spdy.SpdyGateway.PIID;
import static dev.muxgate.gateway.spdy.SpdyGateway.PITAG;
import static dev.muxgate.gateway.spdy.SpdyGateway.PSQL;
import static dev.muxgate.gateway.spdy.SpdyGateway.PSSC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SPDY/3.1 and SPDY/3 sessions against the real gateway, with Netty's SPDY codec as the client:
 * every stream is a plugin connection tagged with the negotiated protocol and the session number,
 * requests are checked and re-framed before the core, and the session keeps its SPDY manners.
 */
@Timeout(60)
class SpdySessionTest {

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
    void getOverSpdy31IsAPluginConnectionTaggedWithTheProtocolAndSessionNumber() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdyClient.Stream s = client.open(client.request("GET", "/bytes/100000", true));
            assertEquals("200 OK", s.status());
            assertEquals("end", s.awaitEnd());
            assertEquals(100_000, s.bytes.get());
            assertEquals("HTTP/1.1", s.head.get().getAsString(":version"));
            assertFalse(s.head.get().contains("connection"), "no connection-specific field in a SYN_REPLY");
        }
        List<String[]> lines = gw.awaitLines(1);
        String[] line = lines.get(0);
        assertEquals("spdy/3.1", line[PITAG], SpdyGateway.show(lines));
        assertEquals("200", line[PSSC]);
        assertEquals("100000", line[PSQL]);
        List<String[]> sessions = gw.awaitSessionLines(1);
        assertEquals(line[PIID], sessions.get(0)[1], "the access log's piid is the session's number");
        assertEquals("spdy/3.1", sessions.get(0)[2]);
        assertEquals("1", sessions.get(0)[9], "one stream");
        assertTrue(gw.metrics().contains("muxgate_streams_opened_total{protocol=\"spdy/3.1\"} 1.0"), gw.metrics());
    }

    @Test
    void spdy3WithoutASessionWindowServesTooAndIsTaggedSpdy3() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3")) {
            // More than the 64 KiB every window starts with: only stream WINDOW_UPDATEs open it.
            SpdyClient.Stream s = client.open(client.request("GET", "/bytes/300000", true));
            assertEquals("200 OK", s.status());
            assertEquals("end", s.awaitEnd());
            assertEquals(300_000, s.bytes.get());
            assertEquals(0, client.sessionWindowUpdates.get(), "SPDY/3 has no session window");
        }
        assertEquals("spdy/3", gw.awaitLines(1).get(0)[PITAG]);
    }

    @Test
    void sessionStartsWithSettingsAndARaisedSessionWindow() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdySettingsFrame settings = client.settings.get(10, TimeUnit.SECONDS);
            assertEquals(100, settings.getValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS));
            assertEquals(256 * 1024, settings.getValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE));
            SpdyGateway.awaitTrue("session window update", Duration.ofSeconds(10),
                    () -> client.sessionWindowUpdates.get() == 1024 * 1024 - 64 * 1024);
        }
    }

    @Test
    void fiftyConcurrentStreamsOnOneSessionShareOnePiid() throws Exception {
        List<SpdyClient.Stream> streams = new ArrayList<>();
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            for (int i = 0; i < 50; i++) {
                streams.add(client.open(client.request("GET", "/bytes/20000", true)));
            }
            for (SpdyClient.Stream s : streams) {
                assertEquals("end", s.awaitEnd());
                assertEquals(20_000, s.bytes.get());
            }
        }
        List<String[]> lines = gw.awaitLines(50);
        Map<String, Long> byPiid = lines.stream().collect(Collectors.groupingBy(f -> f[PIID], Collectors.counting()));
        assertEquals(1, byPiid.size(), byPiid.toString());
        assertEquals(50L, byPiid.values().iterator().next());
        assertTrue(lines.stream().allMatch(f -> f[PITAG].equals("spdy/3.1") && f[PSSC].equals("200")), SpdyGateway.show(lines));
    }

    @Test
    void aLiveSessionIsListedWithItsProtocolAndOpenStreams() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdyClient.Stream slow = client.open(client.request("GET", "/delay/1000", true));
            SpdyGateway.awaitTrue("the stream reached the core", Duration.ofSeconds(10),
                    () -> gw.gateway.core().stats().activeTransactions() == 1);
            var http = java.net.http.HttpClient.newHttpClient();
            var uri = java.net.URI.create("http://127.0.0.1:" + gw.gateway.adminAddress().getPort() + "/sessions");
            String json = http.send(java.net.http.HttpRequest.newBuilder(uri).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(json.contains("\"protocol\":\"spdy/3.1\""), json);
            assertTrue(json.replace(" ", "").contains("\"streams\":1"), json);
            assertEquals("end", slow.awaitEnd());
            assertTrue(gw.metrics().contains("muxgate_sessions_active{protocol=\"spdy/3.1\"} 1.0"), gw.metrics());
        }
    }

    @Test
    void pingIsAnswered() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            client.send(new DefaultSpdyPingFrame(7));
            assertEquals(7, client.pings.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aBodyInOneFrameReachesTheCoreWithItsRealLengthAndTheClientsLengthIsNeverTrusted() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdySynStreamFrame syn = client.request("POST", "/echo", false);
            syn.headers().set("content-length", "999");
            SpdyClient.Stream s = client.open(syn);
            client.send(last(syn.streamId(), "hello"));
            assertEquals("end", s.awaitEnd());
            String echo = s.body().toLowerCase();
            // Only the header lines: the forwarded host carries the gateway's port, which may hold "999".
            List<String> lengths = echo.lines().filter(line -> line.startsWith("content-length:")).toList();
            assertEquals(List.of("content-length: 5"), lengths, echo);
            assertTrue(echo.endsWith("hello"), echo);
        }
    }

    @Test
    void aBodyInManyFramesGoesChunkedAndArrivesWhole() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdySynStreamFrame syn = client.request("POST", "/echo", false);
            SpdyClient.Stream s = client.open(syn);
            client.send(new DefaultSpdyDataFrame(syn.streamId(), Unpooled.copiedBuffer("part one, ", StandardCharsets.US_ASCII)));
            client.send(last(syn.streamId(), "part two"));
            assertEquals("end", s.awaitEnd());
            String echo = s.body().toLowerCase();
            assertTrue(echo.contains("transfer-encoding: chunked"), echo);
            assertTrue(echo.endsWith("part one, part two"), echo);
        }
    }

    @Test
    void aSynStreamWithFinAndAForgedLengthBecomesAnEmptyBody() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdySynStreamFrame syn = client.request("POST", "/echo", true);
            syn.headers().set("content-length", "abc");
            SpdyClient.Stream s = client.open(syn);
            assertEquals("end", s.awaitEnd());
            String echo = s.body().toLowerCase();
            assertTrue(echo.contains("content-length: 0"), echo);
            assertFalse(echo.contains("abc"), echo);
        }
    }

    @Test
    void malformedRequestsAreResetWithProtocolErrorAndCounted() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            List<SpdyClient.Stream> bad = new ArrayList<>();
            SpdySynStreamFrame upper = client.request("GET", "/", true);
            upper.headers().set("X-Upper", "1");
            bad.add(client.open(upper));
            SpdySynStreamFrame noPath = client.request("GET", "/", true);
            noPath.headers().remove(":path");
            bad.add(client.open(noPath));
            SpdySynStreamFrame crlf = client.request("GET", "/", true);
            crlf.headers().set("x-evil", "a\r\nx-injected: 1");
            bad.add(client.open(crlf));
            SpdySynStreamFrame connection = client.request("GET", "/", true);
            connection.headers().set("transfer-encoding", "chunked");
            bad.add(client.open(connection));
            SpdySynStreamFrame absolute = client.request("GET", "http://evil.example/x", true);
            bad.add(client.open(absolute));
            SpdySynStreamFrame version = client.request("GET", "/", true);
            version.headers().set(":version", "HTTP/2.0");
            bad.add(client.open(version));
            for (SpdyClient.Stream s : bad) {
                assertEquals("reset " + SpdyStreamStatus.PROTOCOL_ERROR.code(), s.awaitEnd());
            }
            // The session is still good.
            SpdyClient.Stream ok = client.open(client.request("GET", "/bytes/10", true));
            assertEquals("end", ok.awaitEnd());
        }
        assertEquals(6, gw.gateway.malformedRequests());
        assertTrue(gw.metrics().contains("muxgate_protocol_errors_total{kind=\"malformed_request\"} 6.0"), gw.metrics());
        assertEquals(1, gw.awaitLines(1).size());
    }

    @Test
    void aClientResetMidResponseAbortsThePluginConnection() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            client.creditWindows = false;
            SpdyClient.Stream s = client.open(client.request("GET", "/bytes/100000000", true));
            assertEquals("200 OK", s.status());
            SpdyGateway.awaitTrue("some data", Duration.ofSeconds(10), () -> s.bytes.get() > 0);
            client.send(new DefaultSpdyRstStreamFrame(s.id, SpdyStreamStatus.CANCEL));
            SpdyGateway.awaitTrue("the plugin connection closed", Duration.ofSeconds(10),
                    () -> gw.gateway.core().stats().activeTransactions() == 0);
            List<String[]> lines = gw.awaitLines(1);
            assertEquals("ERR_CLIENT_ABORT", lines.get(0)[CRC], SpdyGateway.show(lines));
            // The session outlives its stream, once the client gives back the session window the
            // reset stream used (SPDY/3.1 2.6.8: it was consumed, reset or not).
            client.creditWindows = true;
            client.send(new io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame(0, (int) s.bytes.get()));
            SpdyClient.Stream next = client.open(client.request("GET", "/bytes/10", true));
            assertEquals("end", next.awaitEnd());
        }
    }

    @Test
    void gracefulStopSendsGoAwayAndLetsAnAcceptedStreamFinish() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdyClient.Stream slow = client.open(client.request("GET", "/delay/500", true));
            SpdyGateway.awaitTrue("the stream reached the core", Duration.ofSeconds(10),
                    () -> gw.gateway.core().stats().activeTransactions() == 1);
            Thread stopper = new Thread(gw::close);
            stopper.start();
            SpdyGoAwayFrame away = client.goAway.get(10, TimeUnit.SECONDS);
            assertEquals(slow.id, away.lastGoodStreamId());
            assertEquals(0, away.status().code());
            assertEquals("200 OK", slow.status());
            assertEquals("end", slow.awaitEnd());
            stopper.join(20_000);
            gw = null;
        }
    }

    private static SpdyDataFrame last(int streamId, String text) {
        SpdyDataFrame data = new DefaultSpdyDataFrame(streamId, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        data.setLast(true);
        return data;
    }
}
