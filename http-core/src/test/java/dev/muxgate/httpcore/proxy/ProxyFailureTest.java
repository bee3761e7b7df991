package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients and origins that go away, stall, refuse or reset; full pools; stale pooled connections. */
@Timeout(30)
class ProxyFailureTest {

    private final RecordingAccessLog log = new RecordingAccessLog();
    private ProxyCore core;
    private TestOrigin testOrigin;
    private RawOrigin rawOrigin;

    @AfterEach
    void stop() throws Exception {
        if (core != null) {
            core.close();
        }
        if (testOrigin != null) {
            testOrigin.close();
        }
        if (rawOrigin != null) {
            rawOrigin.close();
        }
    }

    private ProxyCore start(URI origin) throws InterruptedException {
        core = TestCores.start(TestCores.config(origin), log);
        return core;
    }

    private ProxyCore start(CoreConfig config, int threads) throws InterruptedException {
        core = ProxyCore.builder(config).threads(threads).accessLog(log).start();
        return core;
    }

    private RawClient client() throws Exception {
        return new RawClient(core.listenAddress());
    }

    private void assertNothingLeftOpen() throws InterruptedException {
        Await.equal("open client connections", 0L, () -> core.stats().openConnections());
        Await.equal("active transactions", 0L, () -> core.stats().activeTransactions());
    }

    // ---- the client goes away ----

    @Test
    void clientClosingMidRequestBodyClosesTheOriginConnection() throws Exception {
        testOrigin = new TestOrigin();
        start(testOrigin.uri());
        try (RawClient c = client()) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 1048576\r\n\r\n");
            c.send(new byte[100_000]);
            assertNotNull(testOrigin.heads.poll(10, TimeUnit.SECONDS), "the request reached the origin");
        }
        TransactionRecord rec = log.awaitUrl("/sink");
        assertEquals(Result.ERR_CLIENT_ABORT, rec.result());
        Await.equal("origin connections open", 0, () -> testOrigin.openConnections());
        assertTrue(testOrigin.seen.isEmpty(), "the origin never saw a complete request");
        assertNothingLeftOpen();
    }

    @Test
    void clientClosingMidResponseClosesTheOriginConnection() throws Exception {
        testOrigin = new TestOrigin();
        start(testOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /bytes/" + (64 << 20) + " HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("HTTP/1.1 200 OK", c.readLine());
            c.input().readNBytes(100_000);
        }
        TransactionRecord rec = log.awaitUrl("/bytes/" + (64 << 20));
        assertEquals(Result.ERR_CLIENT_ABORT, rec.result());
        assertTrue(rec.proxyBodyBytes() < (64 << 20));
        Await.equal("origin connections open", 0, () -> testOrigin.openConnections());
        assertNothingLeftOpen();
    }

    @Test
    void pluginConnectionClosingMidResponseClosesTheOriginConnection() throws Exception {
        testOrigin = new TestOrigin();
        start(testOrigin.uri());
        CountDownLatch firstBytes = new CountDownLatch(1);
        Channel ch = core.connector().connect(ConnectOptions.builder(core.listenAddress()).pluginTag("h2")
                .pluginId(7).build(), new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                if (msg instanceof HttpContent) {
                                    firstBytes.countDown();
                                }
                                ReferenceCountUtil.release(msg);
                            }
                        });
                    }
                });
        ch.writeAndFlush(PluginClient.get("/bytes/" + (64 << 20), "a"));
        assertTrue(firstBytes.await(10, TimeUnit.SECONDS));
        ch.close().sync();
        TransactionRecord rec = log.awaitUrl("/bytes/" + (64 << 20));
        assertEquals(Result.ERR_CLIENT_ABORT, rec.result());
        assertEquals("h2", rec.pluginTag());
        Await.equal("origin connections open", 0, () -> testOrigin.openConnections());
        assertNothingLeftOpen();
        // Given back after the open connections, in the same channelInactive: awaited too.
        Await.equal("open plugin connections", 0L, () -> core.stats().openPluginConnections());
    }

    // ---- the origin goes away or never answers ----

    @Test
    void originClosingMidResponseTruncatesTheClientsResponse() throws Exception {
        rawOrigin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(rawOrigin, s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[50_000]);
            out.flush();
            s.close();
        });
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /cut HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertFalse(r.complete, "a cut response must never look complete");
            assertTrue(r.bodyBytes <= 50_000);
            assertTrue(c.closedByPeer());
        }
        assertEquals(Result.ERR_ORIGIN_ERROR, log.awaitUrl("/cut").result());
        assertNothingLeftOpen();
    }

    @Test
    void originClosingMidChunkedResponseLeavesTheLastChunkOut() throws Exception {
        rawOrigin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(rawOrigin, s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(100);
            s.close();
        });
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /cut HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertTrue(r.chunked);
            assertFalse(r.complete, "no last chunk after a cut: " + r.body());
            assertEquals("hello", r.body());
        }
        assertEquals(Result.ERR_ORIGIN_ERROR, log.awaitUrl("/cut").result());
    }

    @Test
    void originResettingMidResponseTruncatesTheClientsResponse() throws Exception {
        rawOrigin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(rawOrigin, s.getInputStream());
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(100);
            s.setSoLinger(true, 0);
            s.close();
        });
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /reset HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertFalse(r.complete);
        }
        assertEquals(Result.ERR_ORIGIN_ERROR, log.awaitUrl("/reset").result());
    }

    @Test
    void originResettingBeforeAnsweringGives502() throws Exception {
        rawOrigin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(rawOrigin, s.getInputStream());
            s.setSoLinger(true, 0);
            s.close();
        });
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /reset HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(502, c.read().status);
        }
        TransactionRecord rec = log.awaitUrl("/reset");
        assertEquals(502, rec.proxyStatus());
        assertEquals(Result.ERR_ORIGIN_ERROR, rec.result());
    }

    @Test
    void refusedOriginGives502ConnectFail() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        start(URI.create("http://127.0.0.1:" + port));
        try (RawClient c = client()) {
            c.send("GET /refused HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(502, r.status);
            // A GET answered locally leaves nothing unread: the connection may serve the next one.
            c.send("GET /refused2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(502, c.read().status);
        }
        TransactionRecord rec = log.awaitUrl("/refused");
        assertEquals(502, rec.proxyStatus());
        assertEquals(Result.ERR_CONNECT_FAIL, rec.result());
    }

    @Test
    void originThatNeverAnswersGives504AfterTheResponseTimeout() throws Exception {
        CountDownLatch originClosed = new CountDownLatch(1);
        rawOrigin = new RawOrigin((s, i) -> {
            OriginScripts.readRequest(rawOrigin, s.getInputStream());
            OriginScripts.awaitClose(s);
            originClosed.countDown();
        });
        OriginPoolConfig shortWait = new OriginPoolConfig(Duration.ofSeconds(2), Duration.ofMillis(300), 16,
                Duration.ofSeconds(30), 16);
        start(TestCores.config(rawOrigin.uri()).withOrigins(shortWait), 2);
        long started = System.nanoTime();
        try (RawClient c = client()) {
            c.send("GET /silent HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(504, r.status);
            assertTrue(System.nanoTime() - started >= Duration.ofMillis(300).toNanos());
        }
        TransactionRecord rec = log.awaitUrl("/silent");
        assertEquals(504, rec.proxyStatus());
        assertEquals(Result.ERR_READ_TIMEOUT, rec.result());
        assertTrue(originClosed.await(10, TimeUnit.SECONDS), "the silent origin's connection was closed");
    }

    @Test
    void originThatNeverAnswersABodySentAfterTheHeadGives504() throws Exception {
        // The body's last piece reaches the origin after its connection was lent: the response
        // time-out must still run (it once compared two clocks and never fired).
        rawOrigin = new RawOrigin((s, i) -> OriginScripts.awaitClose(s));
        OriginPoolConfig shortWait = new OriginPoolConfig(Duration.ofSeconds(2), Duration.ofMillis(300), 16,
                Duration.ofSeconds(30), 16);
        start(TestCores.config(rawOrigin.uri()).withOrigins(shortWait), 2);
        try (RawClient c = client()) {
            c.send("POST /late-body HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n");
            Await.equal("origin connections", 1, rawOrigin.connections::get);
            Thread.sleep(100);
            c.send("hello");
            assertEquals(504, c.read().status);
        }
        TransactionRecord rec = log.awaitUrl("/late-body");
        assertEquals(Result.ERR_READ_TIMEOUT, rec.result());
    }

    @Test
    void fullPoolWithoutWaitingRoomGives503() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        rawOrigin = new RawOrigin((s, i) -> {
            InputStream in = s.getInputStream();
            while (OriginScripts.readRequest(rawOrigin, in) != null) {
                firstArrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                OriginScripts.answer(s, "slow");
            }
        });
        OriginPoolConfig one = new OriginPoolConfig(Duration.ofSeconds(2), Duration.ofSeconds(10), 1,
                Duration.ofSeconds(30), 0);
        // One loop, so both client connections share the one pool.
        start(TestCores.config(rawOrigin.uri()).withOrigins(one), 1);
        try (RawClient a = client(); RawClient b = client()) {
            a.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(firstArrived.await(10, TimeUnit.SECONDS));
            b.send("GET /second HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(503, b.read().status);
            release.countDown();
            assertEquals("slow", a.read().body());
        }
        TransactionRecord rec = log.awaitUrl("/second");
        assertEquals(503, rec.proxyStatus());
        assertEquals(Result.ERR_ORIGIN_BUSY, rec.result());
        assertEquals(1, rawOrigin.connections.get());
    }

    @Test
    void requestWaitingForAFullPoolGives503AfterTheConnectTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch firstArrived = new CountDownLatch(1);
        rawOrigin = new RawOrigin((s, i) -> {
            InputStream in = s.getInputStream();
            while (OriginScripts.readRequest(rawOrigin, in) != null) {
                firstArrived.countDown();
                release.await(10, TimeUnit.SECONDS);
                OriginScripts.answer(s, "slow");
            }
        });
        // Room to wait, but only as long as a connect may take.
        OriginPoolConfig one = new OriginPoolConfig(Duration.ofMillis(300), Duration.ofSeconds(10), 1,
                Duration.ofSeconds(30), 10);
        start(TestCores.config(rawOrigin.uri()).withOrigins(one), 1);
        try (RawClient a = client(); RawClient b = client()) {
            a.send("GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
            assertTrue(firstArrived.await(10, TimeUnit.SECONDS));
            b.send("GET /waiting HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(503, b.read().status);
            release.countDown();
            assertEquals("slow", a.read().body());
        }
        TransactionRecord rec = log.awaitUrl("/waiting");
        assertEquals(Result.ERR_ORIGIN_BUSY, rec.result());
        assertEquals(1, rawOrigin.connections.get());
    }

    // ---- stale pooled connections ----

    /** First connection answers one request, then takes the next and closes unanswered; others serve. */
    private RawOrigin staleAfterOne() throws Exception {
        return new RawOrigin((s, i) -> {
            if (i == 0) {
                InputStream in = s.getInputStream();
                OriginScripts.readRequest(rawOrigin, in);
                OriginScripts.answer(s, "first");
                OriginScripts.readRequest(rawOrigin, in);
                s.close();
            } else {
                OriginScripts.serveAll(rawOrigin, s, "fresh");
            }
        });
    }

    @Test
    void staleIdempotentRequestIsRetriedOnceOnANewConnection() throws Exception {
        rawOrigin = staleAfterOne();
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("first", c.read().body());
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response retried = c.read();
            assertEquals(200, retried.status);
            assertEquals("fresh", retried.body());
            // The connection that carried the retry is pooled and fit for any later request.
            c.send("POST /3 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody");
            RawClient.Response after = c.read();
            assertEquals(200, after.status, after.toString());
            assertEquals("fresh", after.body());
        }
        assertEquals(Result.TCP_MISS, log.awaitUrl("/2").result());
        assertEquals(200, log.awaitUrl("/3").proxyStatus());
        assertEquals(2, rawOrigin.connections.get());
    }

    @Test
    void staleRequestWithABodyIsNotRetried() throws Exception {
        rawOrigin = staleAfterOne();
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("first", c.read().body());
            c.send("POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nbody");
            assertEquals(502, c.read().status);
        }
        TransactionRecord rec = log.awaitUrl("/2");
        assertEquals(502, rec.proxyStatus());
        assertEquals(Result.ERR_ORIGIN_ERROR, rec.result());
        assertEquals(1, rawOrigin.connections.get(), "no second attempt");
    }

    @Test
    void idleConnectionClosedByTheOriginIsNotReused() throws Exception {
        CountDownLatch closedIdle = new CountDownLatch(1);
        rawOrigin = new RawOrigin((s, i) -> {
            if (i == 0) {
                OriginScripts.readRequest(rawOrigin, s.getInputStream());
                OriginScripts.answer(s, "first");
                Thread.sleep(50);
                s.close();
                closedIdle.countDown();
            } else {
                OriginScripts.serveAll(rawOrigin, s, "fresh");
            }
        });
        start(rawOrigin.uri());
        try (RawClient c = client()) {
            c.send("GET /1 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("first", c.read().body());
            assertTrue(closedIdle.await(10, TimeUnit.SECONDS));
            Thread.sleep(100);
            c.send("GET /2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("fresh", c.read().body());
        }
        assertEquals(2, rawOrigin.connections.get());
    }

    @Test
    void socketLevelCloseOfAClientWithPipelinedRequestsLeavesNothingBehind() throws Exception {
        testOrigin = new TestOrigin();
        start(testOrigin.uri());
        try (Socket s = new Socket("127.0.0.1", core.listenAddress().getPort())) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 8; i++) {
                b.append("GET /bytes/1000000 HTTP/1.1\r\nHost: a\r\n\r\n");
            }
            s.getOutputStream().write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.getInputStream().readNBytes(1000);
        }
        assertNothingLeftOpen();
        Await.equal("origin connections open", 0, () -> testOrigin.openConnections());
    }
}
