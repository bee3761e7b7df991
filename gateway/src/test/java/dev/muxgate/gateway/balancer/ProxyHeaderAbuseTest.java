package dev.muxgate.gateway.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trusted balancer's connection that misbehaves before TLS, against the real gateway on
 * loopback: a PROXY header dribbled a byte at a time (slowloris), a header followed by silence,
 * and a v2 header whose TLVs pass the limit. Each is closed and counted; the handshake timeout
 * counts from accept, header included.
 */
@Timeout(60)
class ProxyHeaderAbuseTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private Gateway gateway;

    @BeforeEach
    void start() throws Exception {
        ProxyProtocolConfig required = new ProxyProtocolConfig(ProxyProtocolMode.REQUIRED,
                TrustedBalancers.of(List.of("127.0.0.1")), 64);
        TlsConfig d = TlsConfig.defaults();
        TlsConfig tls = new TlsConfig(true, "127.0.0.1", 0, d.protocols(), d.versions(), d.provider(), HANDSHAKE_TIMEOUT,
                dir.resolve("state"), d.certificates(), d.sessionTickets(), required);
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults().withListener(new ListenerConfig(false, "127.0.0.1", 0))
                .withAccessLog(new AccessLogConfig(false, dir.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        // Not the default admin port (9090): fixed, it may be taken by another gateway or test JVM.
        gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core).withTls(tls)
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(false, dir.resolve("session.log"), 0, Duration.ZERO, 0, 1024)));
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private double refused(String reason) {
        String prefix = "muxgate_proxy_protocol_refused_total{listener=\"tls\",reason=\"" + reason + "\"} ";
        return gateway.metrics().scrape().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(-1);
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", gateway.tlsAddress().getPort()), 5000);
        s.setSoTimeout(100);
        return s;
    }

    /** True once the gateway has closed {@code s} (end of stream or reset). */
    private static boolean closed(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] b = new byte[256];
            while (true) {
                if (in.read(b) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Test
    void headerDribbledAByteAtATimeIsCutAtTheHandshakeTimeout() throws Exception {
        byte[] header = "PROXY TCP4 203.0.113.7 127.0.0.1 40000 8443\r\n".getBytes(StandardCharsets.US_ASCII);
        long start = System.nanoTime();
        int sent = 0;
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            while (!closed(s) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                try {
                    out.write(header[sent % header.length]);
                    out.flush();
                    sent++;
                } catch (IOException cut) {
                    break;
                }
                Thread.sleep(150);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("proxy header slowloris: cut after %.1f s and %d bytes (handshake-timeout %d s)%n",
                seconds, sent, HANDSHAKE_TIMEOUT.toSeconds());
        assertTrue(sent < header.length, "cut before the header was complete: " + sent + " bytes");
        assertEquals(1.0, refused("timeout"));
    }

    @Test
    void headerThenSilenceIsCutOneTimeoutAfterAcceptNotAfterTheHeader() throws Exception {
        long start = System.nanoTime();
        long headerAt;
        try (Socket s = connect()) {
            // Most of the timeout goes by before the header; TLS then gets only what is left.
            Thread.sleep(HANDSHAKE_TIMEOUT.toMillis() * 2 / 3);
            s.getOutputStream().write("PROXY TCP4 203.0.113.7 127.0.0.1 40000 8443\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            headerAt = System.nanoTime();
            while (!closed(s) && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(20);
            }
        }
        double total = (System.nanoTime() - start) / 1e9;
        double afterHeader = (System.nanoTime() - headerAt) / 1e9;
        System.out.printf("proxy header then silence: cut %.1f s after accept, %.1f s after the header (handshake-timeout %d s)%n",
                total, afterHeader, HANDSHAKE_TIMEOUT.toSeconds());
        // Per-stage timeouts would allow header time plus a whole timeout (5 s here).
        assertTrue(afterHeader < HANDSHAKE_TIMEOUT.toMillis() / 1000.0, "TLS got a fresh timeout: " + afterHeader + " s");
        assertEquals(0.0, refused("timeout"), "the header itself came in time");
    }

    @Test
    void v2HeaderWithTlvsPastTheLimitIsRefusedBeforeTls() throws Exception {
        try (Socket s = connect()) {
            byte[] sig = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
            int tlv = 4000;
            java.io.ByteArrayOutputStream h = new java.io.ByteArrayOutputStream();
            h.write(sig);
            h.write(new byte[] {0x21, 0x11, (byte) ((12 + 3 + tlv) >> 8), (byte) (12 + 3 + tlv)});
            h.write(new byte[] {(byte) 203, 0, 113, 7, 127, 0, 0, 1, (byte) 0x9C, 0x40, 0x20, (byte) 0xFB});
            h.write(new byte[] {(byte) 0xE0, (byte) (tlv >> 8), (byte) tlv});
            h.write(new byte[tlv]);
            s.getOutputStream().write(h.toByteArray());
            s.getOutputStream().flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!closed(s) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(closed(s));
        }
        // Netty's decoder closes the channel before it throws, so the count may come a moment after the close.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (refused("oversized") < 1 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1.0, refused("oversized"));
        assertEquals(0, gateway.endedSessions(), "no session, no TLS, for a refused header");
    }
}
