package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.fault.FaultGateway;
import dev.muxgate.gateway.fault.ScriptedOrigin;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Origin faults seen through the real gateway, over TLS, by an HTTP/2 client and an HTTP/1.1
 * client: an origin that dies or resets mid-response (with a content-length and chunked), resets
 * before answering, hangs before or during its answer, refuses the connection, or has a name that
 * does not resolve. A response cut short must never look complete to the client (h2: RST_STREAM,
 * never END_STREAM; HTTP/1.1: the connection closed short of the length or the last chunk), and
 * every transaction has its access-log line saying how it ended.
 */
@Timeout(120)
class OriginFaultTest {

    /** The origin's answer, chosen by the first segment of the request path. */
    private static void fault(Socket s, OutputStream out, String head) throws Exception {
        String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        String kind = path.substring(1, path.indexOf('/', 1));
        switch (kind) {
            case "ok" -> ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            case "die-length" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[50_000]);
                out.flush();
                Thread.sleep(100);
                s.close();
            }
            case "die-chunked" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                Thread.sleep(100);
                s.close();
            }
            case "reset-mid" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[20_000]);
                out.flush();
                Thread.sleep(100);
                ScriptedOrigin.reset(s);
            }
            case "reset-before" -> ScriptedOrigin.reset(s);
            case "hang-head" -> ScriptedOrigin.hang(s);
            case "hang-body" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[10_000]);
                out.flush();
                ScriptedOrigin.hang(s);
            }
            default -> throw new IllegalArgumentException(kind);
        }
    }

    /** What the client saw: the status, the body bytes, and whether the response ended cleanly. */
    record Seen(int status, long bytes, boolean complete, String how) {
    }

    enum Client {
        H2 {
            @Override
            Seen fetch(int port, String path) throws Exception {
                try (H2Client client = H2Client.connect(port, 1 << 20)) {
                    H2Client.Recorder r = new H2Client.Recorder(false);
                    client.open(r).writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", path), true)).sync();
                    String end = r.awaitEnd();
                    int status = r.head.isDone() ? Integer.parseInt(r.status()) : 0;
                    if (end.startsWith("reset")) {
                        assertEquals(Http2Error.INTERNAL_ERROR.code(), r.resetCode, "a cut stream says why");
                    }
                    return new Seen(status, r.bytes.get(), end.equals("end"), end);
                }
            }
        },
        HTTP_1_1 {
            @Override
            Seen fetch(int port, String path) throws Exception {
                try (SSLSocket socket = http11(port)) {
                    socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().flush();
                    return readResponse(socket.getInputStream());
                }
            }
        };

        abstract Seen fetch(int port, String path) throws Exception;
    }

    @TempDir
    static Path dir;
    private static ScriptedOrigin origin;
    private static FaultGateway gw;

    @BeforeAll
    static void start() throws Exception {
        origin = new ScriptedOrigin(OriginFaultTest::fault);
        gw = FaultGateway.start(dir, origin.uri(), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    private static String path(String kind, Client client) {
        return "/" + kind + "/" + client.name().toLowerCase(Locale.ROOT);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void aWholeResponseIsSeenComplete(Client client) throws Exception {
        // The control: the same client and clock tell a complete response from a cut one.
        Seen seen = client.fetch(gw.port(), path("ok", client));
        assertEquals(new Seen(200, 5, true, seen.how()), seen);
        assertEquals("TCP_MISS", gw.awaitLine(path("ok", client))[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originDyingMidResponseWithALengthIsNeverPresentedAsComplete(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("die-length", client));
        assertEquals(200, seen.status(), seen.toString());
        assertFalse(seen.complete(), "a cut response must not look complete: " + seen);
        assertTrue(seen.bytes() <= 50_000, seen.toString());
        String[] line = gw.awaitLine(path("die-length", client));
        assertEquals("ERR_ORIGIN_ERROR", line[FaultGateway.CRC]);
        assertNotEquals("100000", line[FaultGateway.PSQL], "the log must not claim the whole body went out");
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originDyingMidChunkedResponseIsNeverPresentedAsComplete(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("die-chunked", client));
        assertEquals(200, seen.status(), seen.toString());
        assertFalse(seen.complete(), "no clean end after a cut: " + seen);
        assertEquals("ERR_ORIGIN_ERROR", gw.awaitLine(path("die-chunked", client))[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originResettingMidResponseIsNeverPresentedAsComplete(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("reset-mid", client));
        assertEquals(200, seen.status(), seen.toString());
        assertFalse(seen.complete(), seen.toString());
        assertTrue(seen.bytes() <= 20_000, seen.toString());
        assertEquals("ERR_ORIGIN_ERROR", gw.awaitLine(path("reset-mid", client))[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originResettingBeforeAnsweringGives502(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("reset-before", client));
        assertEquals(502, seen.status(), seen.toString());
        assertTrue(seen.complete(), "a local 502 is a whole response: " + seen);
        String[] line = gw.awaitLine(path("reset-before", client));
        assertEquals("502", line[FaultGateway.PSSC]);
        assertEquals("ERR_ORIGIN_ERROR", line[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originHangingBeforeAnsweringGives504AtTheResponseTimeout(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("hang-head", client));
        assertEquals(504, seen.status(), seen.toString());
        assertTrue(seen.complete(), seen.toString());
        String[] line = gw.awaitLine(path("hang-head", client));
        assertEquals("504", line[FaultGateway.PSSC]);
        assertEquals("ERR_READ_TIMEOUT", line[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originHangingMidBodyIsCutAtTheResponseTimeout(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("hang-body", client));
        assertEquals(200, seen.status(), seen.toString());
        assertFalse(seen.complete(), seen.toString());
        assertTrue(seen.bytes() <= 10_000, seen.toString());
        assertEquals("ERR_READ_TIMEOUT", gw.awaitLine(path("hang-body", client))[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void refusedOriginGives502ConnectFail(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("refused", client));
        assertEquals(502, seen.status(), seen.toString());
        String[] line = gw.awaitLine(path("refused", client));
        assertEquals("502", line[FaultGateway.PSSC]);
        assertEquals("ERR_CONNECT_FAIL", line[FaultGateway.CRC]);
    }

    @ParameterizedTest
    @EnumSource(Client.class)
    void originNameThatDoesNotResolveGives502DnsFail(Client client) throws Exception {
        Seen seen = client.fetch(gw.port(), path("nxdomain", client));
        assertEquals(502, seen.status(), seen.toString());
        String[] line = gw.awaitLine(path("nxdomain", client));
        assertEquals("502", line[FaultGateway.PSSC]);
        assertEquals("ERR_DNS_FAIL", line[FaultGateway.CRC]);
    }

    // ---- an HTTP/1.1 client over TLS that tells a complete response from a cut one ----

    private static SSLSocket http11(int port) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(30_000);
        socket.startHandshake();
        return socket;
    }

    /** Reads one response; complete only when its length or last chunk arrived. */
    static Seen readResponse(InputStream in) throws IOException {
        String head = line(in);
        int status = Integer.parseInt(head.split(" ")[1]);
        long length = -1;
        boolean chunked = false;
        for (String h; !(h = line(in)).isEmpty(); ) {
            String lower = h.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(h.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        long bytes = 0;
        try {
            if (chunked) {
                while (true) {
                    String size = line(in);
                    long n = Long.parseLong(size.trim(), 16);
                    if (n == 0) {
                        line(in);
                        return new Seen(status, bytes, true, "last chunk");
                    }
                    bytes += skip(in, n);
                    if (bytes < n || !line(in).isEmpty()) {
                        return new Seen(status, bytes, false, "cut in a chunk");
                    }
                }
            }
            bytes = skip(in, length < 0 ? Long.MAX_VALUE : length);
            return new Seen(status, bytes, length >= 0 && bytes == length, "read " + bytes + " of " + length);
        } catch (EndOfStream | SocketException | javax.net.ssl.SSLException e) {
            return new Seen(status, bytes, false, "closed: " + e);
        } catch (SocketTimeoutException e) {
            return new Seen(status, bytes, false, "timed out");
        }
    }

    private static long skip(InputStream in, long n) throws IOException {
        byte[] buf = new byte[8192];
        long got = 0;
        while (got < n) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n - got));
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new EndOfStream();
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static final class EndOfStream extends IOException {
        EndOfStream() {
            super("end of stream");
        }
    }

    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
