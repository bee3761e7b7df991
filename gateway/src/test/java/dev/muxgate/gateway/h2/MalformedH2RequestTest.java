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
        // Translation tricks: what the HTTP/1.1 side could read as another host, request or header.
        cases.put("duplicate :path", h -> h.add(":path", "/other"));
        cases.put("unknown pseudo-header", h -> h.add(":protocol", "websocket"));
        cases.put("two Host fields and no :authority", h -> {
            h.remove(":authority");
            return h.add("host", "a.example").add("host", "b.example");
        });
        cases.put(":authority with a path character", h -> h.authority("a.example/evil"));
        cases.put("NUL in a value", h -> h.add("x-nul", "a\u0000b"));
        cases.put("space in a name", h -> h.add("x bad", "1"));
        cases.put("colon in a name", h -> h.add("x:bad", "1"));
        cases.put("te other than trailers", h -> h.add("te", "gzip"));
        cases.put("CONNECT", h -> h.method("CONNECT"));
        cases.put("content-length with no DATA", h -> h.add("content-length", "5"));
        cases.put("missing path", h -> {
            h.remove(":path");
            return h;
        });
        int linesBefore = gw.lines().size();
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
        List<String[]> lines = gw.awaitLines(linesBefore + 2);
        Thread.sleep(100);
        lines = gw.lines();
        lines = lines.subList(linesBefore, lines.size());
        assertEquals(2, lines.size(), "only the good streams reached the core:\n" + H2Gateway.show(lines));
        assertEquals(lines.get(0)[H2Gateway.PIID], lines.get(1)[H2Gateway.PIID], "both on the one session");
    }

    /**
     * A body longer than its content-length: read on the HTTP/1.1 side as a body and then the start
     * of another request, unless it is refused. RFC 9113 8.1.1 makes it malformed.
     */
    @Test
    void dataBeyondTheContentLengthIsResetAndNeverForwarded() throws Exception {
        int before = gw.lines().size();
        try (H2Client client = H2Client.connect(gw.port(), 65_535)) {
            H2Client.Recorder r = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(r);
            stream.write(new DefaultHttp2HeadersFrame(client.request("POST", "/echo").add("content-length", "3"), false));
            stream.writeAndFlush(new io.netty.handler.codec.http2.DefaultHttp2DataFrame(
                    io.netty.buffer.Unpooled.copiedBuffer("abcGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
                            java.nio.charset.StandardCharsets.US_ASCII), true));
            String end = r.awaitEnd();
            assertEquals("reset " + Http2Error.PROTOCOL_ERROR.code(), end);
            H2Client.Recorder after = get(client, "/bytes/4");
            assertEquals("end", after.awaitEnd());
        }
        gw.awaitLines(before + 1);
        Thread.sleep(100);
        List<String[]> lines = gw.lines();
        assertEquals(false, lines.stream().anyMatch(f -> f[H2Gateway.URL].contains("smuggled")),
                "a smuggled request reached the core:\n" + H2Gateway.show(lines));
    }

    static H2Client.Recorder get(H2Client client, String path) throws InterruptedException {
        H2Client.Recorder r = new H2Client.Recorder(false);
        Http2StreamChannel stream = client.open(r);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", path), true));
        return r;
    }
}
