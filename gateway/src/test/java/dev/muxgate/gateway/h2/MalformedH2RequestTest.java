package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests RFC 9113 calls malformed, or that the HTTP/1.1 side could read differently, each on its
 * own stream of one session: every one is reset with PROTOCOL_ERROR and none reaches the core,
 * while a well-behaved stream on the same session is served.
 */
@Timeout(60)
class MalformedH2RequestTest {

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

    @Test
    void malformedStreamsAreResetAndNeverReachTheCoreWhileTheSessionServesOthers() throws Exception {
        Map<String, UnaryOperator<Http2Headers>> cases = new LinkedHashMap<>();
        cases.put("path not in origin form", h -> h.path("hello"));
        cases.put("absolute path", h -> h.path("http://evil.example/x"));
        cases.put("bad scheme", h -> h.scheme("ftp"));
        cases.put("authority with userinfo", h -> h.authority("user@127.0.0.1"));
        cases.put("host differs from authority", h -> h.add("host", "other.example"));
        cases.put("connection-specific header", h -> h.add("connection", "keep-alive"));
        cases.put("transfer-encoding", h -> h.add("transfer-encoding", "chunked"));
        cases.put("CR LF in a value", h -> h.add("x-smuggle", "a\r\nx-injected: 1"));
        cases.put("LF in a value", h -> h.add("x-smuggle", "a\nGET /x HTTP/1.1"));
        cases.put("upper-case name", h -> h.add("X-Upper", "1"));
        cases.put("missing path", h -> {
            h.remove(":path");
            return h;
        });
        try (H2Client client = H2Client.connect(gw.port(), 65_535)) {
            H2Client.Recorder before = get(client, "/bytes/10");
            assertEquals("200", before.status());
            assertEquals("end", before.awaitEnd());
            for (var c : cases.entrySet()) {
                H2Client.Recorder r = new H2Client.Recorder(false);
                Http2StreamChannel stream = client.open(r);
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(c.getValue().apply(client.request("GET", "/")), true));
                String end = r.awaitEnd();
                assertEquals("reset " + Http2Error.PROTOCOL_ERROR.code(), end, c.getKey());
                assertEquals(false, r.head.isDone(), c.getKey() + ": no response head");
            }
            H2Client.Recorder after = get(client, "/bytes/20");
            assertEquals("200", after.status());
            assertEquals("end", after.awaitEnd());
            assertEquals(20, after.bytes.get());
            assertEquals(true, client.parent.isActive(), "the session survives");
        }
        List<String[]> lines = gw.awaitLines(2);
        Thread.sleep(100);
        lines = gw.lines();
        assertEquals(2, lines.size(), "only the good streams reached the core:\n" + H2Gateway.show(lines));
        assertEquals(List.of("1", "1"), lines.stream().map(f -> f[H2Gateway.PIID]).toList());
    }

    static H2Client.Recorder get(H2Client client, String path) throws InterruptedException {
        H2Client.Recorder r = new H2Client.Recorder(false);
        Http2StreamChannel stream = client.open(r);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", path), true));
        return r;
    }
}
