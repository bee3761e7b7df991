package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * WebSocket upgrades through the core over real sockets: the demo origin's echo, origins that
 * switch when they should not (or do not when asked), tunnels that end from either side, a tunnel
 * that must hold back a fast origin for a slow client, and the limits that still apply.
 */
@Timeout(60)
class WebSocketTunnelTest {

    private final RecordingAccessLog log = new RecordingAccessLog();
    private ProxyCore core;
    private RawOrigin origin;

    @AfterEach
    void stop() throws Exception {
        if (core != null) {
            core.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private void start(CoreConfig config) throws InterruptedException {
        core = TestCores.start(config, log);
    }

    private RawClient client() throws Exception {
        return new RawClient(core.listenAddress());
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    @Test
    void theDemoEchoAnswersThroughATunnelAndItsLineCountsBothWays() throws Exception {
        start(TestCores.demoConfig());
        String key = WebSocketFrames.newKey();
        byte[] big = random(300_000);
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/ws?room=1", "demo.example", key));
            RawClient.Response r = c.read();
            assertEquals(101, r.status, r.toString());
            assertEquals(WebSocketFrames.acceptFor(key), r.header("sec-websocket-accept"));
            assertEquals("websocket", r.header("upgrade").toLowerCase());
            WebSocketFrames.writeClientFrame(c.output(), WebSocketFrames.TEXT, "hello".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", WebSocketFrames.readServerFrame(c.input()).text());
            WebSocketFrames.writeClientFrame(c.output(), WebSocketFrames.BINARY, big);
            WebSocketFrames.Frame echo = WebSocketFrames.readServerFrame(c.input());
            assertEquals(WebSocketFrames.BINARY, echo.opcode());
            assertArrayEquals(big, echo.payload());
            WebSocketFrames.writeClientFrame(c.output(), WebSocketFrames.CLOSE, new byte[] {3, (byte) 0xe8});
            assertEquals(WebSocketFrames.CLOSE, WebSocketFrames.readServerFrame(c.input()).opcode());
        }
        TransactionRecord rec = log.awaitUrl("/ws?room=1");
        assertEquals(101, rec.proxyStatus());
        assertEquals(101, rec.serverStatus());
        assertEquals(Result.TCP_MISS, rec.result());
        assertTrue(rec.requestBodyBytes() > big.length, "client bytes counted: " + rec.requestBodyBytes());
        assertTrue(rec.proxyBodyBytes() > big.length, "origin bytes counted: " + rec.proxyBodyBytes());
        Await.equal("open client connections", 0L, () -> core.stats().openConnections());
        Await.equal("active transactions", 0L, () -> core.stats().activeTransactions());
    }

    @Test
    void theOriginSeesTheUpgradeAndATunnelConnectionIsNeverPooled() throws Exception {
        BlockingQueue<String> heads = new ArrayBlockingQueue<>(8);
        origin = new RawOrigin((s, i) -> {
            InputStream in = s.getInputStream();
            String head = OriginScripts.readRequest(originRef(), in);
            heads.add(head);
            if (head.toLowerCase().contains("upgrade: websocket")) {
                s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                // Echo raw bytes until the proxy closes.
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    s.getOutputStream().write(buf, 0, n);
                }
            } else {
                OriginScripts.answer(s, "plain");
                OriginScripts.serveAll(originRef(), s, "plain");
            }
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            c.send("any bytes at all\n");
            assertEquals("any bytes at all", c.readLine());
        }
        String head = heads.poll(10, TimeUnit.SECONDS);
        assertTrue(head.toLowerCase().contains("\r\nupgrade: websocket\r\n"), head);
        assertTrue(head.toLowerCase().contains("\r\nconnection: upgrade\r\n"), head);
        assertTrue(head.toLowerCase().contains("\r\nsec-websocket-key: "), head);
        log.awaitUrl("/chat");
        // The next request needs a connection of its own: the tunnelled one is gone for good.
        try (RawClient c = client()) {
            c.send("GET /after HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("plain", c.read().body());
        }
        assertEquals(2, origin.connections.get());
    }

    private RawOrigin originRef() {
        return origin;
    }

    @Test
    void anOriginThatAnswers200ToAnUpgradeKeepsTheConnectionHttp() throws Exception {
        origin = new RawOrigin((s, i) -> OriginScripts.serveAll(originRef(), s, "no switch"));
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            RawClient.Response first = c.read();
            assertEquals(200, first.status);
            assertEquals("no switch", first.body());
            assertNull(first.header("upgrade"));
            // Still HTTP: a request written now is read as one, not passed through as bytes.
            c.send("GET /next HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response second = c.read();
            assertEquals(200, second.status);
            assertEquals("no switch", second.body());
        }
        assertEquals(2, origin.requests.get());
    }

    @Test
    void a101ToAPlainRequestIsRefused() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\nRAW"
                    .getBytes(StandardCharsets.ISO_8859_1));
            OriginScripts.awaitClose(s);
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send("GET /plain HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(502, r.status);
        }
        TransactionRecord rec = log.awaitUrl("/plain");
        assertEquals(Result.ERR_ORIGIN_ERROR, rec.result());
        assertTrue(rec.reason().contains("without an upgrade request"), rec.reason());
    }

    @Test
    void a101ToAnotherProtocolIsRefused() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            s.getOutputStream().write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            OriginScripts.awaitClose(s);
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(502, c.read().status);
        }
    }

    @Test
    void otherUpgradesAreNotPassedOn() throws Exception {
        BlockingQueue<String> heads = new ArrayBlockingQueue<>(8);
        origin = new RawOrigin((s, i) -> {
            heads.add(OriginScripts.readRequest(originRef(), s.getInputStream()));
            OriginScripts.answer(s, "ok");
            OriginScripts.awaitClose(s);
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send("GET /h2c HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade, HTTP2-Settings\r\n"
                    + "HTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
            assertEquals(200, c.read().status);
        }
        String head = heads.poll(10, TimeUnit.SECONDS);
        assertFalse(head.toLowerCase().contains("upgrade"), head);
        assertFalse(head.toLowerCase().contains("http2-settings"), head);
    }

    @Test
    void bytesSentBeforeThe101EndTheExchange() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            Thread.sleep(300);
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            OriginScripts.awaitClose(s);
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            // A request smuggled behind the handshake: it must reach neither the origin nor a tunnel.
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey())
                    + "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(502, c.read().status);
            assertNull(c.readLine(), "closed after the refusal");
        }
        assertEquals(1, origin.requests.get());
    }

    @Test
    void theOriginClosingEndsTheTunnelAndTheClientGetsItsLastBytes() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                    + "bye\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            s.close();
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            assertEquals("bye", c.readLine());
            assertNull(c.readLine(), "closed after the origin closed");
        }
        TransactionRecord rec = log.awaitUrl("/chat");
        assertEquals(4, rec.proxyBodyBytes());
        assertEquals("origin closed", rec.reason());
    }

    @Test
    void theClientClosingClosesTheOriginConnection() throws Exception {
        BlockingQueue<String> ends = new ArrayBlockingQueue<>(2);
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] got = s.getInputStream().readNBytes(5);
            OriginScripts.awaitClose(s);
            ends.add(new String(got, StandardCharsets.ISO_8859_1) + " then closed");
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            c.send("hello");
        }
        assertEquals("hello then closed", ends.poll(10, TimeUnit.SECONDS));
        TransactionRecord rec = log.awaitUrl("/chat");
        assertEquals(5, rec.requestBodyBytes());
        assertEquals("client closed", rec.reason());
        Await.equal("active transactions", 0L, () -> core.stats().activeTransactions());
    }

    @Test
    void aFastOriginIsHeldBackForASlowClient() throws Exception {
        long total = 64L << 20;
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < total; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
            OriginScripts.awaitClose(s);
        });
        start(TestCores.config(origin.uri()));
        try (RawClient c = client();
             TestCores.MemoryWatch watch = new TestCores.MemoryWatch()) {
            c.socket.setReceiveBufferSize(64 * 1024);
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            Thread.sleep(1500);
            long got = 0;
            byte[] buf = new byte[64 * 1024];
            while (got < total) {
                int n = c.input().read(buf);
                assertTrue(n > 0, "stream ended after " + got);
                got += n;
            }
            assertEquals(total, got);
            assertTrue(watch.peakGrowth() < (16 << 20), "core held " + watch.peakGrowth() + " bytes at once");
        }
    }

    @Test
    void anIdleTunnelIsClosedAtTheIdleTimeout() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            OriginScripts.awaitClose(s);
        });
        LimitsConfig l = TestCores.limits();
        start(TestCores.config(origin.uri()).withLimits(new LimitsConfig(l.requestLineBytes(), l.headerBytes(),
                l.headerCount(), l.requestBodyBytes(), l.headerTimeout(), l.bodyTimeout(), Duration.ofMillis(500),
                l.pipelinedRequests())));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            assertNull(c.readLine(), "closed by the idle time-out");
        }
        assertEquals(Result.ERR_READ_TIMEOUT, log.awaitUrl("/chat").result());
    }

    @Test
    void aClientSendingPastTheBodyLimitIsCut() throws Exception {
        origin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(originRef(), s.getInputStream());
            s.getOutputStream().write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            OriginScripts.awaitClose(s);
        });
        LimitsConfig l = TestCores.limits();
        start(TestCores.config(origin.uri()).withLimits(new LimitsConfig(l.requestLineBytes(), l.headerBytes(),
                l.headerCount(), 100_000, l.headerTimeout(), l.bodyTimeout(), l.idleTimeout(),
                l.pipelinedRequests())));
        try (RawClient c = client()) {
            c.send(WebSocketFrames.handshake("/chat", "a", WebSocketFrames.newKey()));
            assertEquals(101, c.read().status);
            try {
                for (int i = 0; i < 100; i++) {
                    c.send(new byte[10_000]);
                }
            } catch (java.io.IOException expected) {
                // the core closed on us
            }
            assertNull(c.readLine(), "closed past the limit");
        }
        TransactionRecord rec = log.awaitUrl("/chat");
        assertEquals(Result.ERR_INVALID_REQ, rec.result());
        assertTrue(rec.requestBodyBytes() > 100_000);
    }
}
