package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Plain proxying through the listener and plugin connections: headers, keep-alive, pipelining. */
@Timeout(30)
class ProxyBasicsTest {

    private static final String HOP_BY_HOP_REQUEST_FIELDS = ""
            + "Connection: keep-alive, X-Secret\r\n"
            + "X-Secret: 1\r\n"
            + "Keep-Alive: timeout=5\r\n"
            + "TE: trailers\r\n"
            + "Upgrade: websocket\r\n"
            + "Proxy-Connection: keep-alive\r\n";

    private TestOrigin origin;
    private RecordingAccessLog log;
    private ProxyCore core;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        log = new RecordingAccessLog();
        core = TestCores.start(TestCores.config(origin.uri()), log);
    }

    @AfterEach
    void stop() {
        core.close();
        origin.close();
    }

    private RawClient client() throws Exception {
        return new RawClient(core.listenAddress());
    }

    private static void assertNoHopByHopTowardOrigin(HttpHeaders h) {
        for (String name : List.of("x-secret", "keep-alive", "te", "upgrade", "proxy-connection", "connection")) {
            assertFalse(h.contains(name), name + " reached the origin: " + h);
        }
    }

    private static void assertNoHopByHopTowardClient(RawClient.Response r) {
        for (String name : List.of("x-hop-resp", "keep-alive", "upgrade", "proxy-connection")) {
            assertNull(r.header(name), name + " reached the client: " + r);
        }
        assertEquals("kept", r.header("x-end-to-end"));
    }

    @Test
    void getThroughTheListenerForwardsAndStripsHopByHopBothWays() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /hop?x=1 HTTP/1.1\r\nHost: www.example.com\r\n" + HOP_BY_HOP_REQUEST_FIELDS
                    + "X-Forwarded-For: 198.51.100.1\r\nX-Keep: yes\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("hop", r.body());
            assertTrue(r.header("via").contains("muxgate"), r.toString());
            assertNoHopByHopTowardClient(r);
        }
        TestOrigin.Seen seen = origin.take();
        HttpHeaders h = seen.headers();
        assertEquals("/hop?x=1", seen.uri());
        assertEquals("yes", h.get("x-keep"));
        assertEquals("127.0.0.1:" + origin.port(), h.get("host"));
        assertEquals("1.1 muxgate", h.get("via"));
        assertEquals("198.51.100.1, 127.0.0.1", h.get("x-forwarded-for"));
        assertEquals("for=127.0.0.1;proto=http;host=\"www.example.com\"", h.get("forwarded"));
        assertNoHopByHopTowardOrigin(h);

        TransactionRecord rec = log.awaitUrl("/hop?x=1");
        assertEquals("127.0.0.1", rec.clientIp());
        assertNull(rec.pluginTag());
        assertEquals(0, rec.pluginId());
        assertEquals(200, rec.proxyStatus());
        assertEquals(200, rec.serverStatus());
        assertEquals(Result.TCP_MISS, rec.result());
        assertEquals("GET", rec.method());
        assertEquals("http://www.example.com/hop?x=1", rec.url());
    }

    @Test
    void getThroughAPluginConnectionCarriesTagIdAndRealClient() throws Exception {
        ConnectOptions options = ConnectOptions.builder(core.listenAddress())
                .pluginTag("h2").pluginId(42)
                .clientAddress(new InetSocketAddress("203.0.113.7", 5555))
                .build();
        try (PluginClient c = new PluginClient(core, options)) {
            FullHttpRequest get = PluginClient.get("/hop", "www.example.com");
            get.headers().set("connection", "keep-alive, X-Secret").set("x-secret", "1").set("keep-alive", "timeout=5")
                    .set("te", "trailers").set("upgrade", "websocket").set("proxy-connection", "keep-alive");
            PluginClient.Response r = c.exchange(get);
            assertEquals(200, r.status());
            assertEquals("hop", r.body());
            for (String name : List.of("x-hop-resp", "keep-alive", "upgrade", "proxy-connection")) {
                assertFalse(r.headers().contains(name), name + " reached the plugin: " + r.headers());
            }
            assertEquals("kept", r.headers().get("x-end-to-end"));
            assertTrue(r.headers().get("via").contains("muxgate"));

            // A second request on the same plugin connection: kept alive.
            assertEquals("hello /again", c.exchange(PluginClient.get("/again", "www.example.com")).body());
        }
        TestOrigin.Seen seen = origin.take();
        HttpHeaders h = seen.headers();
        assertEquals("203.0.113.7", h.get("x-forwarded-for"));
        assertEquals("for=203.0.113.7;proto=http;host=\"www.example.com\"", h.get("forwarded"));
        assertEquals("1.1 muxgate", h.get("via"));
        assertNoHopByHopTowardOrigin(h);

        TransactionRecord rec = log.awaitUrl("/hop");
        assertEquals("h2", rec.pluginTag());
        assertEquals(42, rec.pluginId());
        assertEquals("203.0.113.7", rec.clientIp());
        assertEquals(5555, rec.clientPort());
        assertEquals(42, rec.connectionId());
        assertEquals(200, rec.proxyStatus());
        TransactionRecord again = log.awaitUrl("/again");
        assertEquals("h2", again.pluginTag());
        assertEquals(42, again.pluginId());
        Await.equal("open connections", 0L, () -> core.stats().openConnections());
        // Given back after the open connections, in the same channelInactive: awaited too.
        Await.equal("open plugin connections", 0L, () -> core.stats().openPluginConnections());
    }

    @Test
    void tenPipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            batch.append("GET /r/").append(i).append(" HTTP/1.1\r\nHost: a.example\r\n\r\n");
        }
        try (RawClient c = client()) {
            c.send(batch.toString());
            for (int i = 0; i < 10; i++) {
                RawClient.Response r = c.read();
                assertEquals(200, r.status);
                assertEquals("hello /r/" + i, r.body());
                assertNull(r.header("connection"), r.toString());
            }
            // Still open and usable.
            c.send("GET /r/after HTTP/1.1\r\nHost: a.example\r\n\r\n");
            assertEquals("hello /r/after", c.read().body());
        }
        assertEquals(1, origin.accepted.get(), "one pooled origin connection serves the sequence");
        assertEquals(11, log.awaitCount(11).size());
    }

    @Test
    void headAnd204And304CarryNoBody() throws Exception {
        try (RawClient c = client()) {
            // Pipelined on purpose: any stray body byte would break the next response's parse.
            c.send("HEAD /bytes/1000 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /status/304 HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "HEAD /trailers HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /last HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response head = c.read(true);
            assertEquals(200, head.status);
            assertEquals("1000", head.header("content-length"));
            assertEquals(204, c.read().status);
            assertEquals(304, c.read().status);
            assertEquals(200, c.read(true).status);
            RawClient.Response last = c.read();
            assertEquals("hello /last", last.body());
        }
    }

    @Test
    void http10ClientWithoutKeepAliveIsClosedAfterTheResponse() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /ten HTTP/1.0\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("hello /ten", r.body());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer());
        }
        assertEquals("1.0 muxgate", origin.take().headers().get("via"));
    }

    @Test
    void http10ClientWithKeepAliveStaysOpenAndIsNeverSentChunks() throws Exception {
        try (RawClient c = client()) {
            c.send("GET /ten HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals("hello /ten", r.body());
            assertEquals("keep-alive", r.header("connection"));
            c.send("GET /trailers HTTP/1.0\r\nHost: a\r\nConnection: keep-alive\r\n\r\n");
            RawClient.Response chunkedAtOrigin = c.read();
            assertNull(chunkedAtOrigin.header("transfer-encoding"), chunkedAtOrigin.toString());
            assertTrue(chunkedAtOrigin.body().startsWith("body=0"), chunkedAtOrigin.body());
            assertTrue(c.closedByPeer(), "without a length an HTTP/1.0 body ends with the connection");
        }
    }

    @Test
    void expectContinueGets100ThenTheResponse() throws Exception {
        try (RawClient c = client()) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Response cont = c.read();
            assertEquals(100, cont.status);
            c.send("hello");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("got 5", r.body());
        }
        TestOrigin.Seen seen = origin.take();
        assertEquals(5, seen.bodyBytes());
        assertFalse(seen.headers().contains("expect"));
        assertEquals(200, log.awaitUrl("/sink").proxyStatus());
    }

    @Test
    void demoOriginAnswersThroughPluginConnections() throws Exception {
        RecordingAccessLog demoLog = new RecordingAccessLog();
        try (ProxyCore demo = TestCores.start(TestCores.demoConfig(), demoLog);
             PluginClient c = new PluginClient(demo, ConnectOptions.builder(demo.listenAddress()).build())) {
            PluginClient.Response page = c.exchange(PluginClient.get("/", "localhost"));
            assertEquals(200, page.status());
            assertTrue(page.body().contains("muxgate"));
            PluginClient.Response echo = c.exchange(PluginClient.get("/echo", "localhost"));
            assertTrue(echo.body().startsWith("GET /echo HTTP/1.1"), echo.body());
            assertTrue(echo.body().toLowerCase().contains("via: 1.1 muxgate"), echo.body());
            assertEquals(418, c.exchange(PluginClient.get("/status/418", "localhost")).status());
            assertEquals(12345, c.exchange(PluginClient.get("/bytes/12345", "localhost")).body().length());
        }
        assertEquals(4, demoLog.awaitCount(4).size());
    }
}
