package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.frontdoor.ConnectionCapsConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attacks on the TLS front door: a ClientHello sent one byte a second, a client that sends
 * nothing, bytes that are not TLS, a flood of full handshakes, and more connections than the caps
 * allow. Each ends in a close at bounded cost, is counted, and a well-behaved client is served.
 */
@Timeout(180)
class TlsAbuseTest {

    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;

    private static GatewayConfig shortHandshake(GatewayConfig c) {
        TlsConfig t = c.tls();
        return c.withTls(new TlsConfig(t.enabled(), t.host(), t.port(), t.protocols(), t.versions(), t.provider(),
                HANDSHAKE_TIMEOUT, t.stateDir(), t.certificates(), t.sessionTickets()));
    }

    private static double failures(H2Gateway gw, String reason) {
        return Scrape.value(gw.gateway, "muxgate_tls_handshake_failures_total{reason=\"" + reason + "\"}");
    }

    /** Reads until the gateway closes; the seconds it took, or fails past {@code limit}. */
    private static long awaitClose(Socket s, Duration limit) throws IOException {
        long start = System.nanoTime();
        s.setSoTimeout(200);
        InputStream in = s.getInputStream();
        byte[] b = new byte[4096];
        while (System.nanoTime() - start < limit.toNanos()) {
            try {
                if (in.read(b) < 0) {
                    return (System.nanoTime() - start) / 1_000_000_000L;
                }
            } catch (SocketTimeoutException stillOpen) {
                // keep waiting
            } catch (IOException reset) {
                return (System.nanoTime() - start) / 1_000_000_000L;
            }
        }
        throw new AssertionError("the gateway kept the connection open for " + limit);
    }

    /** The bytes of a real ClientHello (JDK client, ALPN h2). */
    private static byte[] clientHello() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 443);
        engine.setUseClientMode(true);
        var p = engine.getSSLParameters();
        p.setApplicationProtocols(new String[] {"h2"});
        engine.setSSLParameters(p);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    @Test
    void slowlorisClientHelloIsCutAtTheHandshakeTimeout() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, TlsAbuseTest::shortHandshake);
             Bystander good = Bystander.start(gw.port());
             Socket s = new Socket("127.0.0.1", gw.port())) {
            double before = failures(gw, "timeout");
            byte[] hello = clientHello();
            int sent = 0;
            long start = System.nanoTime();
            try {
                for (; sent < hello.length; sent++) {
                    s.getOutputStream().write(hello[sent]);
                    s.getOutputStream().flush();
                    Thread.sleep(1000);
                    if (Duration.ofNanos(System.nanoTime() - start).compareTo(HANDSHAKE_TIMEOUT.multipliedBy(20)) > 0) {
                        break;
                    }
                }
            } catch (IOException cut) {
                // The gateway closed the connection.
            }
            awaitClose(s, Duration.ofSeconds(60));
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.printf("slowloris ClientHello (1 byte/s): closed after %d s and %d of its %d bytes%n",
                    seconds, sent, hello.length);
            assertTrue(sent < hello.length, "the whole hello got through");
            H2Gateway.awaitTrue("the timeout counted", Duration.ofSeconds(30), () -> failures(gw, "timeout") > before);
            good.assertServedThroughout();
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedAtTheHandshakeTimeout() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, TlsAbuseTest::shortHandshake);
             Bystander good = Bystander.start(gw.port())) {
            double before = failures(gw, "timeout");
            List<Socket> silent = new ArrayList<>();
            try {
                for (int i = 0; i < 50; i++) {
                    silent.add(new Socket("127.0.0.1", gw.port()));
                }
                long seconds = awaitClose(silent.get(0), Duration.ofSeconds(60));
                for (Socket s : silent) {
                    awaitClose(s, Duration.ofSeconds(60));
                }
                System.out.printf("silent clients: 50 connections that sent nothing, the first closed after %d s%n", seconds);
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            H2Gateway.awaitTrue("50 timeouts counted", Duration.ofSeconds(30), () -> failures(gw, "timeout") >= before + 50);
            good.assertServedThroughout();
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsClosedAndCounted() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, TlsAbuseTest::shortHandshake);
             Bystander good = Bystander.start(gw.port())) {
            double before = failures(gw, "not_tls");
            // Netty logs through java.util.logging here: a stack trace would be a WARNING record.
            java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
            List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.logging.Handler watch = new java.util.logging.Handler() {
                @Override
                public void publish(java.util.logging.LogRecord r) {
                    if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                        warnings.add(r);
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            root.addHandler(watch);
            String[] garbage = {"GET / HTTP/1.1\r\nHost: a\r\n\r\n", "\u0000\u0001\u0002\u0003garbage", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"};
            for (String g : garbage) {
                try (Socket s = new Socket("127.0.0.1", gw.port())) {
                    s.getOutputStream().write(g.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                    long seconds = awaitClose(s, Duration.ofSeconds(60));
                    assertTrue(seconds < HANDSHAKE_TIMEOUT.toSeconds() * 10);
                }
            }
            try {
                H2Gateway.awaitTrue("not_tls counted", Duration.ofSeconds(30),
                        () -> failures(gw, "not_tls") >= before + garbage.length);
            } finally {
                root.removeHandler(watch);
            }
            assertTrue(warnings.isEmpty(), "garbage was logged as a warning: " + warnings.stream()
                    .map(r -> r.getMessage() + " " + r.getThrown()).toList());
            System.out.printf("garbage instead of a ClientHello: %d kinds, each closed at once, counted not_tls, nothing logged%n",
                    garbage.length);
            good.assertServedThroughout();
        }
    }

    @Test
    void aFloodOfFullHandshakesLeavesTheGatewayServing() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir); Bystander good = Bystander.start(gw.port())) {
            int n = 500;
            ExecutorService pool = Executors.newFixedThreadPool(50);
            try {
                List<Future<Boolean>> done = new ArrayList<>();
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    done.add(pool.submit(() -> {
                        try (RawH2 c = RawH2.connect(gw.port(), false)) {
                            return true;
                        } catch (Exception e) {
                            return false;
                        }
                    }));
                }
                int ok = 0;
                for (Future<Boolean> f : done) {
                    ok += f.get() ? 1 : 0;
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("handshake flood: %d full TLS handshakes from 50 threads in %d ms, %d completed; "
                        + "the bystander was served %d times meanwhile%n", n, ms, ok, good.served());
                assertEquals(n, ok, "every handshake of the flood completed (nothing was capped or dropped)");
            } finally {
                pool.shutdownNow();
            }
            good.assertServedThroughout();
        }
    }

    @Test
    void connectionsPastTheCapsAreClosedAtAcceptAndCounted() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, c -> c.withConnections(new ConnectionCapsConfig(10, 5)))) {
            List<RawH2> held = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    held.add(RawH2.connect(gw.port(), true, 0, "127.0.0.1"));
                }
                // A sixth from the same address: closed before its handshake can finish.
                assertRefused(gw.port(), "127.0.0.1");
                assertEquals(1.0, Scrape.value(gw.gateway,
                        "muxgate_connections_refused_total{reason=\"max_connections_per_client\"}"));
                // Another address is still served, up to the overall cap.
                RawH2 other = RawH2.connect(gw.port(), true, 0, "127.0.0.2");
                held.add(other);
                other.preface();
                other.request(1, "GET", "/bytes/3", true);
                other.flush();
                assertNotNull(other.await(f -> f.stream() == 1 && (f.flags() & RawH2.END_STREAM) != 0, 30),
                        "a client from another address is served");
                for (int i = 0; i < 4; i++) {
                    held.add(RawH2.connect(gw.port(), true, 0, "127.0.0.2"));
                }
                assertRefused(gw.port(), "127.0.0.3");
                assertEquals(1.0, Scrape.value(gw.gateway, "muxgate_connections_refused_total{reason=\"max_connections\"}"));
                // Places come back when connections close.
                held.remove(0).close();
                H2Gateway.awaitTrue("a place freed", Duration.ofSeconds(30), () -> {
                    try (RawH2 again = RawH2.connect(gw.port(), true, 0, "127.0.0.1")) {
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                });
                System.out.println("connection caps: the 6th connection from one address and the 11th in all were "
                        + "closed at accept and counted; a freed place is taken again");
            } finally {
                held.forEach(RawH2::close);
            }
        }
    }

    private static void assertRefused(int port, String from) throws Exception {
        try (RawH2 refused = RawH2.connect(port, true, 0, from)) {
            refused.preface();
            assertTrue(refused.awaitEnd(30), "a connection past the cap was kept");
        } catch (IOException | AssertionError expected) {
            if (expected instanceof AssertionError a && a.getMessage() != null && a.getMessage().contains("kept")) {
                throw a;
            }
            // The handshake failed: the gateway closed the connection as it was accepted.
        }
    }
}
