package dev.muxgate.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.tls.OriginTls;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.config.OriginTlsConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import dev.muxgate.httpcore.proxy.ProxyCore;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code https://} remap targets against real TLS origins on loopback, with certificates made in
 * the test: a good certificate is served (and its connection pooled), a wrong name, an unknown CA
 * and a missing client certificate are each a 502 whose logged reason says which, and none of them
 * reads like a refused connection.
 */
@Timeout(60)
class TlsOriginTest {

    @TempDir
    Path dir;

    private final List<TransactionRecord> records = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private TestCa ca;

    @BeforeEach
    void makeCa() throws Exception {
        ca = new TestCa("muxgate test CA");
        ca.writePem(dir.resolve("ca.pem"));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private TlsOriginServer origin(TestCa.Issued cert, TestCa clientCa) throws Exception {
        TlsOriginServer s = new TlsOriginServer(cert, clientCa == null ? null : clientCa.certificate);
        closing.add(s);
        return s;
    }

    private ProxyCore core(OriginTlsConfig tls, List<RemapRule> rules) throws Exception {
        CoreConfig config = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withOrigins(new OriginPoolConfig(Duration.ofSeconds(3), Duration.ofSeconds(10), 16,
                        Duration.ofSeconds(30), 64, tls))
                .withRemap(rules);
        ProxyCore core = ProxyCore.builder(config).threads(1).accessLog(new AccessLog() {
            @Override
            public void log(TransactionRecord record) {
                records.add(record);
            }

            @Override
            public void close() {
            }
        }).originTls(OriginTls.context(tls)).start();
        closing.add(core);
        return core;
    }

    private static RemapRule rule(String path, int port) {
        return new RemapRule("*", path, URI.create("https://localhost:" + port + "/"));
    }

    private HttpResponse<String> get(ProxyCore core, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + core.listenAddress().getPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int getOnANewConnection(ProxyCore core, String path) throws Exception {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return fresh.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + core.listenAddress().getPort() + path))
                .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private TransactionRecord record(String path) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            for (TransactionRecord r : records) {
                if (r.url() != null && r.url().endsWith(path)) {
                    return r;
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no record for " + path);
    }

    private OriginTlsConfig trustingTheTestCa() {
        return new OriginTlsConfig(dir.resolve("ca.pem"), null, null);
    }

    @Test
    void aGoodCertificateIsServedWithSniAndTheConnectionIsPooled() throws Exception {
        TlsOriginServer good = origin(ca.server("localhost"), null);
        ProxyCore core = core(trustingTheTestCa(), List.of(rule("/good", good.port())));
        HttpResponse<String> first = get(core, "/good/a");
        assertEquals(200, first.statusCode(), first.body());
        assertEquals("tls ok for localhost:" + good.port() + " as anonymous", first.body());
        assertEquals(200, get(core, "/good/b").statusCode());
        assertEquals(1, good.handshakes.get(), "the second request reused the pooled TLS connection");
        assertEquals("https://localhost:" + good.port(), record("/good/a").serverHost());
    }

    @Test
    void aReloadThatBringsTheFirstHttpsRuleAndTheCaFileGetsAContextAndKeepsIt() throws Exception {
        TlsOriginServer good = origin(ca.server("localhost"), null);
        CoreConfig plain = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withRemap(List.of(new RemapRule("*", "/", RemapRule.DEMO_TARGET)));
        ProxyCore core = ProxyCore.builder(plain).threads(1).accessLog(new AccessLog() {
            @Override
            public void log(TransactionRecord record) {
                records.add(record);
            }

            @Override
            public void close() {
            }
        }).originTlsFactory(OriginTls::context).start();
        closing.add(core);
        OriginPoolConfig o = plain.origins();
        CoreConfig withTls = plain.withOrigins(new OriginPoolConfig(o.connectTimeout(), o.responseTimeout(),
                        o.maxConnectionsPerOrigin(), o.idleTimeout(), o.maxWaiters(), trustingTheTestCa()))
                .withRemap(List.of(rule("/good", good.port()), new RemapRule("*", "/", RemapRule.DEMO_TARGET)));
        core.reconfigure(withTls);
        // New connections take the new configuration (a kept-alive one keeps what it started with).
        assertEquals(200, getOnANewConnection(core, "/good/a"), "the reload built a context that trusts the CA");
        // A later reload that leaves origins alone keeps the context (and its pools).
        core.reconfigure(withTls.withRemap(List.of(rule("/again", good.port()))));
        assertEquals(200, getOnANewConnection(core, "/again/b"));
        assertEquals(1, good.handshakes.get(), "the pooled TLS connection survived the second reload");
    }

    @Test
    void aCertificateForAnotherNameIsA502ThatSaysSo() throws Exception {
        TlsOriginServer wrong = origin(ca.server("other.example"), null);
        // Reached as localhost: the certificate names other.example (and 127.0.0.1, not asked for).
        ProxyCore core = core(trustingTheTestCa(), List.of(rule("/wrong", wrong.port())));
        HttpResponse<String> r = get(core, "/wrong");
        assertEquals(502, r.statusCode());
        TransactionRecord rec = record("/wrong");
        assertEquals(Result.ERR_CONNECT_FAIL, rec.result());
        assertTrue(rec.reason().contains("presented a certificate that failed verification"), rec.reason());
        assertTrue(rec.reason().toLowerCase().contains("localhost"), rec.reason());
        assertFalse(rec.reason().contains("refused"), rec.reason());
    }

    @Test
    void aCertificateFromAnUnknownCaIsA502ThatSaysSo() throws Exception {
        TestCa stranger = new TestCa("someone else's CA");
        TlsOriginServer unknown = origin(stranger.server("localhost"), null);
        ProxyCore core = core(trustingTheTestCa(), List.of(rule("/unknown", unknown.port())));
        assertEquals(502, get(core, "/unknown").statusCode());
        TransactionRecord rec = record("/unknown");
        assertTrue(rec.reason().contains("presented a certificate that failed verification"), rec.reason());
        assertTrue(rec.reason().toLowerCase().contains("certification path")
                || rec.reason().toLowerCase().contains("trust"), rec.reason());
    }

    @Test
    void theSystemStoreDoesNotTrustATestCa() throws Exception {
        TlsOriginServer good = origin(ca.server("localhost"), null);
        ProxyCore core = core(OriginTlsConfig.SYSTEM_TRUST, List.of(rule("/system", good.port())));
        assertEquals(502, get(core, "/system").statusCode());
        assertTrue(record("/system").reason().contains("failed verification"), record("/system").reason());
    }

    @Test
    void anOriginThatRequiresAClientCertificateGetsTheConfiguredOne() throws Exception {
        TestCa clients = new TestCa("client CA");
        TlsOriginServer strict = origin(ca.server("localhost"), clients);
        ProxyCore without = core(trustingTheTestCa(), List.of(rule("/strict", strict.port())));
        assertEquals(502, get(without, "/strict/none").statusCode());
        TransactionRecord refused = record("/strict/none");
        assertTrue(refused.reason().startsWith("TLS handshake with origin"), refused.reason());

        clients.client("muxgate-core").writePem(dir.resolve("client.pem"), dir.resolve("client.key"));
        ProxyCore with = core(new OriginTlsConfig(dir.resolve("ca.pem"), dir.resolve("client.pem"),
                dir.resolve("client.key")), List.of(rule("/strict", strict.port())));
        HttpResponse<String> r = get(with, "/strict/cert");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().endsWith("as CN=muxgate-core"), r.body());
    }

    @Test
    void aRefusedConnectionReadsDifferentlyFromACertificateError() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ProxyCore core = core(trustingTheTestCa(), List.of(rule("/closed", closedPort)));
        assertEquals(502, get(core, "/closed").statusCode());
        TransactionRecord rec = record("/closed");
        assertTrue(rec.reason().contains("refused the connection"), rec.reason());
        assertFalse(rec.reason().contains("certificate"), rec.reason());
    }
}
