package dev.muxgate.gateway.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.frontdoor.ConnectionCapsConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a balancer every connection comes from the balancer's address, so the per-client cap
 * must count the client the header names: with {@code max-per-client: 1}, two clients are served
 * side by side over one balancer address, and a second connection of the same client is refused.
 */
@Timeout(60)
class CapsBehindBalancerTest {

    @TempDir
    Path dir;

    @Test
    void maxPerClientCountsTheClientTheHeaderNames() throws Exception {
        ProxyProtocolConfig required = new ProxyProtocolConfig(ProxyProtocolMode.REQUIRED,
                TrustedBalancers.of(List.of("127.0.0.1")), ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults().withListener(new ListenerConfig(false, "127.0.0.1", 0))
                .withAccessLog(new AccessLogConfig(false, dir.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        try (Gateway gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state"))
                        .withProxyProtocol(required))
                .withConnections(new ConnectionCapsConfig(100, 1))
                // The default admin port (9090) is fixed: taken by another gateway or test JVM, start fails.
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(false, dir.resolve("session.log"), 0, Duration.ZERO, 0, 1024)))) {
            int port = gateway.tlsAddress().getPort();
            try (SSLSocket first = handshake(port, "203.0.113.1");
                 SSLSocket other = handshake(port, "203.0.113.2")) {
                assertThrows(IOException.class, () -> handshake(port, "203.0.113.1").close(),
                        "a second connection of 203.0.113.1");
            }
            String refused = gateway.metrics().scrape().lines()
                    .filter(l -> l.startsWith("muxgate_connections_refused_total{reason=\"max_connections_per_client\"}"))
                    .findFirst().orElse("");
            assertEquals("muxgate_connections_refused_total{reason=\"max_connections_per_client\"} 1.0", refused);
        }
    }

    /** From 127.0.0.1 (the trusted balancer), a v1 header naming {@code client}, then a TLS handshake. */
    private static SSLSocket handshake(int port, String client) throws Exception {
        Socket raw = new Socket();
        raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        raw.setSoTimeout(10_000);
        raw.getOutputStream().write(("PROXY TCP4 " + client + " 127.0.0.1 40000 " + port + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        try {
            tls.startHandshake();
        } catch (IOException e) {
            tls.close();
            throw e;
        }
        return tls;
    }
}
