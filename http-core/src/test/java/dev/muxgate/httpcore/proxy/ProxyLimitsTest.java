package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every limit of {@link LimitsConfig}: its status, the close, and its access record. */
@Timeout(30)
class ProxyLimitsTest {

    private static final LimitsConfig TIGHT = new LimitsConfig(1024, 4096, 20, 1000,
            Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300), 16);

    private TestOrigin origin;
    private RecordingAccessLog log;
    private ProxyCore core;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        log = new RecordingAccessLog();
        core = TestCores.start(TestCores.config(origin.uri()).withLimits(TIGHT), log);
    }

    @AfterEach
    void stop() {
        core.close();
        origin.close();
    }

    /** Sends {@code request}, expects {@code status} and the close, and returns the access record. */
    private TransactionRecord refused(String request, int status) throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send(request);
            RawClient.Response r = c.read();
            assertEquals(status, r.status, r.toString());
            assertEquals("close", r.header("connection"));
            assertTrue(c.closedByPeer(), "closed after " + status);
        }
        TransactionRecord rec = log.await(x -> x.proxyStatus() == status);
        assertEquals(Result.ERR_INVALID_REQ, rec.result());
        return rec;
    }

    @Test
    void overlongRequestLineGets414() throws Exception {
        refused("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: a\r\n\r\n", 414);
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void oversizedHeaderBlockGets431() throws Exception {
        refused("GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(5000) + "\r\n\r\n", 431);
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void tooManyHeaderFieldsGet431() throws Exception {
        StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 25; i++) {
            req.append("X-H").append(i).append(": v\r\n");
        }
        refused(req.append("\r\n").toString(), 431);
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void declaredBodyOverTheLimitGets413() throws Exception {
        refused("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n" + "x".repeat(100), 413);
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void chunkedBodyOverTheLimitGets413AndTheOriginConnectionCloses() throws Exception {
        String chunk = "1f4\r\n" + "x".repeat(500) + "\r\n";
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
            // The origin has the head and part of the body when the limit is crossed.
            assertTrue(origin.heads.poll(10, java.util.concurrent.TimeUnit.SECONDS) != null);
            c.send(chunk + chunk + "0\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(413, r.status);
            assertTrue(c.closedByPeer());
        }
        TransactionRecord rec = log.await(x -> x.proxyStatus() == 413);
        assertEquals(Result.ERR_INVALID_REQ, rec.result());
        assertTrue(origin.seen.isEmpty(), "the origin never got a complete body");
        Await.equal("origin connections open", 0, () -> origin.openConnections());
    }

    /**
     * A body trickled a byte every 100 ms never pauses as long as the body time-out (300 ms here),
     * but falls under the minimum body rate: 408 and the close, long before the body is complete.
     */
    @Test
    void bodyTrickledUnderTheMinimumRateGets408() throws Exception {
        int declared = 1000;
        java.util.concurrent.atomic.AtomicInteger trickled = new java.util.concurrent.atomic.AtomicInteger();
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: " + declared + "\r\n\r\n");
            Thread trickle = new Thread(() -> {
                try {
                    while (trickled.get() < declared) {
                        c.send("x");
                        trickled.incrementAndGet();
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException cut) {
                    // The proxy closed the connection, or the test is over.
                }
            });
            trickle.setDaemon(true);
            trickle.start();
            RawClient.Response r = c.read();
            trickle.interrupt();
            assertEquals(408, r.status, r.toString());
            assertTrue(c.closedByPeer());
            System.out.printf("body trickle (1 byte per 100 ms, body time-out 300 ms, minimum %d B/s): "
                    + "408 after %d of %d bytes%n", TIGHT.bodyMinRate(), trickled.get(), declared);
            assertTrue(trickled.get() < declared, "the whole trickled body was taken");
        }
        TransactionRecord rec = log.await(x -> x.proxyStatus() == 408);
        assertEquals(Result.ERR_CLIENT_READ_ERROR, rec.result());
    }

    @Test
    void bodyAtAGoodRateIsNotCutByTheMinimumRate() throws Exception {
        // 9 pieces of 100 bytes, 50 ms apart: about 2,000 B/s, well over the 256 B/s minimum, and
        // longer in all than the 300 ms body time-out that the rate extends (and under the 1,000-byte
        // body limit).
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 900\r\n\r\n");
            for (int i = 0; i < 9; i++) {
                c.send("y".repeat(100));
                Thread.sleep(50);
            }
            RawClient.Response r = c.read();
            assertEquals(200, r.status, r.toString());
            assertEquals("got 900", r.body());
        }
    }

    @Test
    void partialHeadThenSilenceGets408AndTheClose() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /slow HTTP/1.1\r\nHost: a\r\n");
            RawClient.Response r = c.read();
            assertEquals(408, r.status);
            assertTrue(c.closedByPeer());
        }
        TransactionRecord rec = log.await(x -> x.proxyStatus() == 408);
        assertEquals(Result.ERR_CLIENT_READ_ERROR, rec.result());
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void tricklingHeadIsCutAtTheHeaderTimeoutNotAtEachByte() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            String head = "GET /slow HTTP/1.1\r\nHost: a\r\nX-Trickle: 1234567890";
            boolean cut = false;
            for (int i = 0; i < head.length() && !cut; i++) {
                try {
                    c.send(head.substring(i, i + 1));
                } catch (java.io.IOException e) {
                    cut = true;
                }
                Thread.sleep(40);
            }
            assertEquals(408, c.read().status);
        }
        assertTrue(origin.heads.isEmpty());
    }

    @Test
    void idleKeptAliveConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("hello /one", c.read().body());
            assertTrue(c.closedByPeer(), "the idle connection was closed");
        }
        Await.equal("open connections", 0L, () -> core.stats().openConnections());
        assertEquals(1, log.records().size(), "an idle close is not a transaction");
    }

    @Test
    void silentNewConnectionIsClosed() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void stalledBodyGets408() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
            RawClient.Response r = c.read();
            assertEquals(408, r.status);
            assertTrue(c.closedByPeer());
        }
        TransactionRecord rec = log.await(x -> x.proxyStatus() == 408);
        assertEquals(Result.ERR_CLIENT_READ_ERROR, rec.result());
        assertEquals(3, rec.requestBodyBytes());
        assertTrue(origin.seen.isEmpty());
        Await.equal("origin connections open", 0, () -> origin.openConnections());
    }
}
