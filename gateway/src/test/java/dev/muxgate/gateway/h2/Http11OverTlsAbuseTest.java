package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 over TLS reaches the core as one plugin connection carrying the client's bytes, so it
 * must meet every smuggling and size check of the core's plain listener (RequestSmugglingTest and
 * ProxyLimitsTest there). A representative set sent over real TLS: each is refused with a 4xx/5xx
 * and the close, none reaches the origin, and an HTTP/2 session is served meanwhile.
 */
@Timeout(120)
class Http11OverTlsAbuseTest {

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

    private static final List<String> AMBIGUOUS = List.of(
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcdeGET /smuggled HTTP/1.1\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Nul: a\u0000b\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Cr: a\rb\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX Space: 1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\n\n",
            "GET http://user@a/x HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(40_000) + "\r\n\r\n");

    @Test
    void ambiguousOrOversizedRequestsOverTlsAreRefusedAndClosed() throws Exception {
        try (Bystander good = Bystander.start(gw.port())) {
            StringBuilder figures = new StringBuilder();
            for (String request : AMBIGUOUS) {
                String head = exchange(request);
                String statusLine = head.lines().findFirst().orElse("");
                int status = Integer.parseInt(statusLine.split(" ")[1]);
                String label = request.substring(0, Math.min(60, request.length()))
                        .replace("\r", "\\r").replace("\n", "\\n");
                assertTrue(status >= 400 && status < 600, label + ": " + head);
                assertTrue(head.toLowerCase().contains("connection: close"), label + ": " + head);
                figures.append(status).append(' ');
            }
            System.out.printf("http/1.1 over TLS: %d ambiguous or oversized requests answered %s, each then closed%n",
                    AMBIGUOUS.size(), figures.toString().trim());
            good.assertServedThroughout();
        }
        Thread.sleep(100);
        assertEquals(false, gw.lines().stream().anyMatch(f -> f[H2Gateway.URL].contains("smuggled")),
                "a smuggled request reached the core: " + H2Gateway.show(gw.lines()));
    }

    /** Sends {@code request} over TLS (ALPN http/1.1); the response head once the gateway has closed. */
    private static String exchange(String request) throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", gw.port())) {
            SSLParameters p = s.getSSLParameters();
            p.setApplicationProtocols(new String[] {"http/1.1"});
            s.setSSLParameters(p);
            s.startHandshake();
            assertEquals("http/1.1", s.getApplicationProtocol());
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            try {
                for (int n; (n = in.read(b)) >= 0; ) {
                    got.write(b, 0, n);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the connection stayed open after: " + got.toString(StandardCharsets.ISO_8859_1));
            } catch (IOException reset) {
                // A reset after the answer is a close too.
            }
            String all = got.toString(StandardCharsets.ISO_8859_1);
            int end = all.indexOf("\r\n\r\n");
            assertTrue(end > 0, "no response head: " + all);
            assertTrue(!all.substring(end).contains("HTTP/1.1 200"), "a second response followed: " + all);
            return all.substring(0, end);
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
