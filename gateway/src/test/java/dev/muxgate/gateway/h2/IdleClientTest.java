package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import io.netty.handler.codec.http2.Http2Error;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
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
 * Clients that complete the TLS handshake and then hold the connection doing nothing, per
 * protocol: each is closed at its time-out (HTTP/1.1: the core's header, and idle time-outs; h2:
 * the session idle time-out), while a well-behaved session is served meanwhile.
 */
@Timeout(120)
class IdleClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    static Path dir;

    private static H2Gateway gw;

    private static GatewayConfig shortTimeouts(GatewayConfig c) {
        LimitsConfig l = c.core().limits();
        return c.withCore(c.core().withLimits(new LimitsConfig(l.requestLineBytes(), l.headerBytes(), l.headerCount(),
                        l.requestBodyBytes(), TIMEOUT, TIMEOUT, TIMEOUT, l.pipelinedRequests(), l.bodyMinRate())))
                .withH2(c.h2().withIdleTimeout(TIMEOUT));
    }

    @BeforeAll
    static void start() throws Exception {
        gw = H2Gateway.start(dir, IdleClientTest::shortTimeouts);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void anHttp11ClientThatSendsNothingAfterTheHandshakeIsClosed() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); SSLSocket s = http11()) {
            long start = System.nanoTime();
            String got = readUntilClosed(s);
            System.out.printf("http/1.1 over TLS, silent after the handshake: closed after %d ms (header time-out %d s)%n",
                    (System.nanoTime() - start) / 1_000_000, TIMEOUT.toSeconds());
            assertEquals("", got, "nothing to answer: a plain close");
            good.assertServedThroughout();
        }
    }

    @Test
    void anHttp11RequestHeadLeftUnfinishedGets408() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); SSLSocket s = http11()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String got = readUntilClosed(s);
            System.out.printf("http/1.1 over TLS, unfinished head: %s%n", got.lines().findFirst().orElse("(nothing)"));
            assertTrue(got.startsWith("HTTP/1.1 408"), got);
            good.assertServedThroughout();
        }
    }

    @Test
    void aKeptAliveHttp11ConnectionLeftIdleIsClosed() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); SSLSocket s = http11()) {
            s.getOutputStream().write("GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String got = readUntilClosed(s);
            assertTrue(got.startsWith("HTTP/1.1 200"), got);
            assertTrue(!got.toLowerCase().contains("connection: close"), "kept alive, then closed for idleness: " + got);
            good.assertServedThroughout();
        }
    }

    @Test
    void anH2SessionWithNoStreamGetsGoAwayAtTheIdleTimeout() throws Exception {
        try (Bystander good = Bystander.start(gw.port()); RawH2 idle = RawH2.connect(gw.port(), true)) {
            idle.preface();
            long start = System.nanoTime();
            assertTrue(idle.awaitEnd(60), "an idle h2 session stays open");
            System.out.printf("h2 session with no stream: %s, closed after %d ms (idle time-out %d s)%n",
                    idle.goAway() == null ? "no GOAWAY" : "GOAWAY " + Http2Error.valueOf(idle.goAway().errorCodeOfGoAway()),
                    (System.nanoTime() - start) / 1_000_000, TIMEOUT.toSeconds());
            assertNotNull(idle.goAway());
            assertEquals(Http2Error.NO_ERROR.code(), idle.goAway().errorCodeOfGoAway(), "a graceful end");
            good.assertServedThroughout();
        }
    }

    private static SSLSocket http11() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", gw.port());
        SSLParameters p = s.getSSLParameters();
        p.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(p);
        s.startHandshake();
        assertEquals("http/1.1", s.getApplicationProtocol());
        return s;
    }

    /** Everything the gateway sends until it closes; fails if it keeps the connection 60 s. */
    private static String readUntilClosed(SSLSocket s) throws IOException {
        s.setSoTimeout(60_000);
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) >= 0; ) {
                got.write(b, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open after 60 s: " + got.toString(StandardCharsets.ISO_8859_1));
        } catch (IOException reset) {
            // A reset is a close too.
        }
        return got.toString(StandardCharsets.ISO_8859_1);
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
