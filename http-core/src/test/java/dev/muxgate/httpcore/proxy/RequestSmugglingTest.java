package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Requests that a proxy and an origin could read differently. Each is refused with a 4xx/5xx, the
 * connection closes (so nothing behind it can be misframed), and nothing reaches the origin.
 */
@Timeout(30)
class RequestSmugglingTest {

    private TestOrigin origin;
    private RecordingAccessLog log;
    private ProxyCore core;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        log = new RecordingAccessLog();
        core = TestCores.start(TestCores.config(List.of(new RemapRule("abs.example", "/", origin.uri()),
                new RemapRule("a", "/", origin.uri()))), log);
    }

    @AfterEach
    void stop() {
        core.close();
        origin.close();
    }

    @ParameterizedTest(name = "{index}: {0}")
    @ValueSource(strings = {
        // Content-Length and Transfer-Encoding together
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
        // a coding that only looks like chunked
        "POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, xchunked\r\n\r\n0\r\n\r\n",
        "POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
        "POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
        "POST /sink HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        // two different lengths
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 4, 5\r\n\r\nabcde",
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\nabcde",
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\nabcde",
        // whitespace before the colon
        "POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length : 4\r\n\r\nabcd",
        "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
        // bare LF line endings
        "GET / HTTP/1.1\nHost: a\n\n",
        "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n",
        // Host: two, none, with userinfo, with path characters
        "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nX-No-Host: 1\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a?b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n",
        // request targets that are neither a path nor absolute http
        "GET foo HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET ftp://a/x HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://user@abs.example/x HTTP/1.1\r\nHost: a\r\n\r\n",
        // CONNECT is not proxied here
        "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
        // broken chunk framing
        "POST /sink HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5x\r\nhello\r\n0\r\n\r\n",
        // versions not served
        "GET / HTTP/2.0\r\nHost: a\r\n\r\n",
        // an Expect that is not 100-continue
        "GET / HTTP/1.1\r\nHost: a\r\nExpect: something\r\n\r\n",
    })
    void ambiguousRequestIsRefusedClosedAndNeverForwarded(String request) throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send(request);
            RawClient.Response r = c.read();
            assertTrue(r.status >= 400 && r.status < 600, r.toString());
            assertEquals("close", r.header("connection"), r.toString());
            assertTrue(c.closedByPeer(), "connection closed after " + r.status);
            TransactionRecord rec = log.await(x -> x.proxyStatus() == r.status);
            assertEquals(Result.ERR_INVALID_REQ, rec.result());
        }
        // A broken body is only seen after the head was routed, so a connection may have been
        // opened; but no request may ever reach the origin.
        assertNull(origin.heads.poll(100, TimeUnit.MILLISECONDS), "a refused request reached the origin");
    }

    /**
     * Netty unfolds obs-fold into one space (RFC 9112 5.2 allows that instead of a 400), so the
     * origin never sees a folded line it could read differently.
     */
    @Test
    void foldedHeaderReachesTheOriginUnfolded() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /fold HTTP/1.1\r\nHost: a\r\nX-Folded: one\r\n two\r\n\r\n");
            assertEquals(200, c.read().status);
        }
        assertEquals("one two", origin.take().headers().get("x-folded"));
    }

    @Test
    void connectGets405() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n");
            assertEquals(405, c.read().status);
        }
    }

    @Test
    void absoluteFormTargetRoutesByItsAuthorityAndRewritesHost() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET http://ABS.example/x?y=1 HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("hello /x?y=1", r.body());
        }
        TestOrigin.Seen seen = origin.take();
        assertEquals("/x?y=1", seen.uri());
        assertEquals("127.0.0.1:" + origin.port(), seen.headers().get("host"));
        assertEquals(1, seen.headers().getAll("host").size());
        assertEquals("ABS.example", seen.headers().get("x-forwarded-host"));
        assertEquals("http://ABS.example/x?y=1", log.await(x -> true).url());
    }
}
