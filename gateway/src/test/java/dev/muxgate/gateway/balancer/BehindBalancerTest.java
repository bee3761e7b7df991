package dev.muxgate.gateway.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.session.SessionLogFormat;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway behind real L4 balancers with the PROXY protocol required on both its listeners
 * (TLS and the core's plain HTTP), trusting only 127.0.0.1: curl bound to 127.0.0.2 sends through
 * HAProxy ({@code send-proxy-v2}) or nginx's stream module ({@code proxy_protocol on}, v1), and the
 * logs, {@code /sessions} and the metrics name 127.0.0.2, never the balancer.
 */
@Timeout(120)
class BehindBalancerTest {

    private static final String CLIENT = "127.0.0.2";

    @TempDir
    Path dir;

    private Gateway gateway;
    private Path accessLog;
    private Path sessionLog;
    private int tlsPort;
    private int corePort;

    @BeforeEach
    void startGateway() throws Exception {
        assumeTrue(Balancer.installed("curl"), "curl is installed by bin/test-setup");
        ProxyProtocolConfig required = new ProxyProtocolConfig(ProxyProtocolMode.REQUIRED,
                TrustedBalancers.of(List.of("127.0.0.1")), ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
        accessLog = dir.resolve("access.log");
        sessionLog = dir.resolve("session.log");
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0, required))
                .withAccessLog(new AccessLogConfig(true, accessLog, log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0))
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state"))
                        .withProxyProtocol(required))
                .withSessionLog(new SessionLogConfig(true, sessionLog, 0, Duration.ZERO, 0, 1024)));
        tlsPort = gateway.tlsAddress().getPort();
        corePort = gateway.core().listenAddress().getPort();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void haproxySendProxyV2CarriesTheClientToBothLogs() throws Exception {
        assumeTrue(Balancer.installed("haproxy"), "haproxy is installed by bin/test-setup");
        int[] fronts = Balancer.twoFreePorts();
        int tlsFront = fronts[0];
        int httpFront = fronts[1];
        try (Balancer haproxy = Balancer.haproxy(dir, new int[][] {{tlsFront, tlsPort}, {httpFront, corePort}})) {
            throughBalancer(tlsFront, httpFront, "v2");
        }
    }

    @Test
    void nginxStreamProxyProtocolV1CarriesTheClientToBothLogs() throws Exception {
        assumeTrue(Balancer.installed("nginx") && Files.exists(Path.of("/usr/lib/nginx/modules/ngx_stream_module.so")),
                "nginx and libnginx-mod-stream are installed by bin/test-setup");
        int[] fronts = Balancer.twoFreePorts();
        int tlsFront = fronts[0];
        int httpFront = fronts[1];
        try (Balancer nginx = Balancer.nginxStream(dir, new int[][] {{tlsFront, tlsPort}, {httpFront, corePort}})) {
            throughBalancer(tlsFront, httpFront, "v1");
        }
    }

    private void throughBalancer(int tlsFront, int httpFront, String version) throws Exception {
        Curl h2 = curl("--interface", CLIENT, "-sSk", "--http2", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{http_version} %{http_code}\n",
                "https://127.0.0.1:" + tlsFront + "/", "https://127.0.0.1:" + tlsFront + "/status/201");
        assertEquals(0, h2.exit, h2.stderr);
        assertEquals(List.of("2 200", "2 201"), h2.stdout.lines().toList());
        Curl plain = curl("--interface", CLIENT, "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + httpFront + "/status/202");
        assertEquals("202", plain.stdout, plain.stderr);

        // While a session is open, /sessions names the client the balancer carried.
        try (SSLSocket held = tlsThrough(tlsFront)) {
            String sessions = awaitAdmin("/sessions", CLIENT);
            assertTrue(sessions.contains("\"" + CLIENT + ":"), sessions);
            assertTrue(!sessions.contains("127.0.0.1:"), sessions);
        }
        String metrics = admin("/metrics");
        assertTrue(metrics.contains("muxgate_proxy_protocol_headers_total{listener=\"tls\",version=\"" + version + "\"} 2.0"),
                metrics);
        assertTrue(metrics.contains("muxgate_proxy_protocol_headers_total{listener=\"http\",version=\"" + version + "\"} 1.0"),
                metrics);

        gateway.close();
        gateway = null;
        List<String[]> access = Files.readAllLines(accessLog).stream().map(l -> l.split(" ")).toList();
        assertEquals(3, access.size(), access.toString());
        for (String[] f : access) {
            assertEquals(CLIENT, f[2], String.join(" ", f));   // chi
        }
        assertEquals(List.of("-", "h2", "h2"), access.stream().map(f -> f[3]).sorted().toList());
        List<String[]> sessions = Files.readAllLines(sessionLog).stream().map(l -> l.split(" ")).toList();
        assertEquals(2, sessions.size(), sessions.toString());
        int chi = SessionLogFormat.FIELDS.indexOf("chi");
        for (String[] f : sessions) {
            assertEquals(CLIENT, f[chi], String.join(" ", f));
        }
    }

    @Test
    void clientsThatBypassTheBalancerAreRefusedAndCounted() throws Exception {
        // Straight to the TLS listener from a trusted address, without a header: missing.
        Curl direct = curl("-sSk", "--http2", "-o", "/dev/null", "https://127.0.0.1:" + tlsPort + "/");
        assertNotEquals(0, direct.exit);
        // curl's own v1 header, from an address that is not a trusted balancer: untrusted.
        Curl forged = curl("--interface", CLIENT, "--haproxy-protocol", "-sS", "-o", "/dev/null",
                "http://127.0.0.1:" + corePort + "/");
        assertNotEquals(0, forged.exit);
        // From the trusted address, curl's v1 header is believed.
        Curl trusted = curl("--haproxy-protocol", "-sS", "-o", "/dev/null", "-w", "%{http_code}",
                "http://127.0.0.1:" + corePort + "/");
        assertEquals("200", trusted.stdout, trusted.stderr);
        String metrics = admin("/metrics");
        assertTrue(metrics.contains("muxgate_proxy_protocol_refused_total{listener=\"tls\",reason=\"missing\"} 1.0"), metrics);
        assertTrue(metrics.contains("muxgate_proxy_protocol_refused_total{listener=\"http\",reason=\"untrusted\"} 1.0"), metrics);
        assertTrue(metrics.contains("muxgate_proxy_protocol_headers_total{listener=\"http\",version=\"v1\"} 1.0"), metrics);
        gateway.close();
        gateway = null;
        List<String> access = Files.readAllLines(accessLog);
        assertEquals(1, access.size(), access.toString());
        assertTrue(Files.readAllLines(sessionLog).isEmpty(), "a refused connection is no session");
    }

    /** A TLS connection through the balancer from 127.0.0.2, handshake done, left open. */
    private SSLSocket tlsThrough(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        Socket raw = new Socket();
        raw.bind(new InetSocketAddress(CLIENT, 0));
        raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(raw, "localhost", port, true);
        SSLParameters params = tls.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    private String awaitAdmin(String path, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String body = admin(path);
        while (!body.contains(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            body = admin(path);
        }
        return body;
    }

    private String admin(String path) throws IOException {
        URI uri = URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
        try (InputStream in = uri.toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    record Curl(int exit, String stdout, String stderr) {
    }

    private static Curl curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl did not finish");
        }
        return new Curl(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
