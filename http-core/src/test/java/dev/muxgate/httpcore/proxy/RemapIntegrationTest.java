package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Remap rules as the core applies them: order, path rewrite, misses, and loops back into the core. */
@Timeout(30)
class RemapIntegrationTest {

    @Test
    void firstMatchingRuleWinsAndItsPrefixIsRewritten() throws Exception {
        RecordingAccessLog log = new RecordingAccessLog();
        try (TestOrigin a = new TestOrigin(); TestOrigin b = new TestOrigin();
             ProxyCore core = TestCores.start(TestCores.config(List.of(
                     new RemapRule("api.example", "/v1", URI.create(a.uri() + "/backend")),
                     new RemapRule("api.example", "/", b.uri()),
                     new RemapRule("*", "/static/", URI.create(b.uri() + "/files/")))), log);
             RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /v1/users?id=7 HTTP/1.1\r\nHost: API.example:8080\r\n\r\n");
            assertEquals("hello /backend/users?id=7", c.read().body());
            c.send("GET /v1 HTTP/1.1\r\nHost: api.example\r\n\r\n");
            assertEquals("hello /backend", c.read().body());
            c.send("GET /v1beta HTTP/1.1\r\nHost: api.example\r\n\r\n");
            assertEquals("hello /v1beta", c.read().body(), "a prefix ends at a segment boundary");
            c.send("GET /static/css/x.css HTTP/1.1\r\nHost: other.example\r\n\r\n");
            assertEquals("hello /files/css/x.css", c.read().body());

            c.send("GET /nothing HTTP/1.1\r\nHost: other.example\r\n\r\n");
            RawClient.Response miss = c.read();
            assertEquals(404, miss.status);
            TransactionRecord rec = log.awaitUrl("/nothing");
            assertEquals(404, rec.proxyStatus());
            assertEquals(Result.ERR_NO_REMAP, rec.result());
            // A miss on a bodyless request leaves nothing unread: the connection serves the next one.
            c.send("GET /v1/after HTTP/1.1\r\nHost: api.example\r\n\r\n");
            assertEquals("hello /backend/after", c.read().body());

            assertEquals(3, a.seen.size());
            assertEquals(2, b.seen.size());
            assertEquals("API.example:8080", a.take().headers().get("x-forwarded-host"));
        }
    }

    @Test
    void remapLoopIntoTheCoreItselfEndsWith508() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        RecordingAccessLog log = new RecordingAccessLog();
        try (ProxyCore core = TestCores.start(TestCores.config(List.of(
                        new RemapRule("*", "/", URI.create("http://127.0.0.1:" + port))))
                .withListener(new ListenerConfig(true, "127.0.0.1", port)), log);
             RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /loop HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(508, r.status, r.toString());
            TransactionRecord innermost = log.await(x -> x.result() == Result.ERR_INVALID_REQ);
            assertEquals(508, innermost.proxyStatus());
            List<TransactionRecord> all = log.awaitCount(RequestCheck.MAX_VIA_HOPS + 1);
            assertTrue(all.stream().allMatch(x -> x.proxyStatus() == 508), log.describe());
        }
    }
}
