package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.tls.TlsConfig.CertificateEntry;
import dev.muxgate.gateway.tls.TlsConfig.Provider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCounted;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The TLS front end on a real loopback socket, driven by {@code openssl s_client}, with each
 * provider: ALPN choice and order, the no_application_protocol alert, NPN (OpenSSL only), TLS
 * versions, and the certificate chosen by SNI.
 */
@ExtendWith(OpenSslContextLeakCheck.class)
class TlsFrontEndTest {

    @TempDir
    static Path dir;

    private TlsFrontEnd frontEnd;
    private TestTlsServer server;

    @BeforeAll
    static void certificates() {
        OpenSslCli.selfSigned(dir, "a.test", "a.key", "a.crt");
        OpenSslCli.selfSigned(dir, "b.test", "b.key", "b.crt");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
        if (frontEnd != null) {
            frontEnd.close();
        }
    }

    private TestTlsServer start(TlsConfig config) throws InterruptedException {
        frontEnd = TlsFrontEnd.open(config, Clock.systemUTC());
        server = new TestTlsServer(frontEnd::newSniHandler);
        return server;
    }

    private static TlsConfig twoCertificates(Provider provider) {
        return TlsConfig.defaults().withProvider(provider).withStateDir(dir.resolve("state")).withCertificates(List.of(
                new CertificateEntry(List.of("a.test"), dir.resolve("a.crt"), dir.resolve("a.key")),
                new CertificateEntry(List.of("b.test", "*.b.test"), dir.resolve("b.crt"), dir.resolve("b.key"))));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void alpnPicksTheServersFirstChoiceTheClientOffers(Provider provider) throws Exception {
        start(twoCertificates(provider));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "http/1.1,h2", "-servername", "a.test");
        assertTrue(result.contains("ALPN protocol: h2"), result.output());
        assertEquals("protocol=h2", server.nextOutcome());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void alpnFallsBackToTheClientsOnlyProtocol(Provider provider) throws Exception {
        start(twoCertificates(provider));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "foo,spdy/3.1");
        assertTrue(result.contains("ALPN protocol: spdy/3.1"), result.output());
        assertEquals("protocol=spdy/3.1", server.nextOutcome());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void noProtocolInCommonGetsTheNoApplicationProtocolAlert(Provider provider) throws Exception {
        start(twoCertificates(provider));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "foo", "-servername", "a.test");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.contains("no application protocol") && result.contains("alert number 120"),
                result.output());
        String outcome = server.nextOutcome();
        assertTrue(outcome.startsWith("sni-failed=" + NoApplicationProtocolException.class.getName()), outcome);
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void aClientWithoutAlpnStillConnects(Provider provider) throws Exception {
        start(twoCertificates(provider));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-servername", "a.test");
        assertTrue(result.contains("No ALPN negotiated"), result.output());
        assertEquals("protocol=none", server.nextOutcome());
    }

    @Test
    void openSslAlsoOffersNpn() throws Exception {
        start(twoCertificates(Provider.OPENSSL));
        // NPN exists in TLS 1.2 only.
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-tls1_2", "-nextprotoneg", "http/1.1,h2");
        assertTrue(result.contains("Next protocol: (1) h2"), result.output());
        assertEquals("protocol=h2", server.nextOutcome());
    }

    @Test
    void anNpnClientChoosingAnUnadvertisedProtocolIsClosed() throws Exception {
        start(twoCertificates(Provider.OPENSSL));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-tls1_2", "-nextprotoneg", "foo");
        // NPN has no refusal: the client picks its own ("(2)" = no overlap); the server then closes.
        assertTrue(result.contains("Next protocol: (2) foo"), result.output());
        assertEquals("protocol=foo on a closed channel", server.nextOutcome());
    }

    @Test
    void anOpenSslContextAloneWouldCompleteTheHandshakeWithoutAlpn() throws Exception {
        // Why AlpnCheckingSniHandler exists: netty-tcnative's ALPN callback cannot fail the handshake.
        start(twoCertificates(Provider.OPENSSL));
        server.close();
        server = new TestTlsServer(() -> frontEnd.contexts().defaultContext().newHandler(ByteBufAllocator.DEFAULT));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "foo");
        assertTrue(result.contains("No ALPN negotiated") && !result.contains("alert number 120"), result.output());
        assertEquals("protocol=none", server.nextOutcome());
    }

    @Test
    void aJdkContextAloneSendsTheAlertItself() throws Exception {
        start(twoCertificates(Provider.JDK));
        server.close();
        server = new TestTlsServer(() -> frontEnd.contexts().defaultContext().newHandler(ByteBufAllocator.DEFAULT));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "foo");
        assertTrue(result.contains("alert number 120"), result.output());
        assertTrue(server.nextOutcome().startsWith("handshake-failed="));
    }

    @Test
    void jdkOffersNoNpn() throws Exception {
        start(twoCertificates(Provider.JDK));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-tls1_2", "-nextprotoneg", "http/1.1,h2");
        assertTrue(result.contains("No ALPN negotiated") && !result.contains("Next protocol: (1)"), result.output());
        assertEquals("protocol=none", server.nextOutcome());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void tls11IsRefused(Provider provider) throws Exception {
        start(twoCertificates(provider));
        // OpenSSL 3 refuses TLS 1.1 itself at its default security level; level 0 lets it ask.
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(server.nextOutcome().startsWith("handshake-failed="));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void tls12AndTls13AreServed(Provider provider) throws Exception {
        start(twoCertificates(provider));
        OpenSslCli.Result tls12 = OpenSslCli.sClient(server.port(), "-tls1_2", "-alpn", "h2");
        assertTrue(tls12.contains("Protocol  : TLSv1.2") && tls12.contains("ALPN protocol: h2"), tls12.output());
        assertEquals("protocol=h2", server.nextOutcome());
        OpenSslCli.Result tls13 = OpenSslCli.sClient(server.port(), "-tls1_3", "-alpn", "h2");
        assertTrue(tls13.contains("TLSv1.3") && tls13.contains("ALPN protocol: h2"), tls13.output());
        assertEquals("protocol=h2", server.nextOutcome());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void tls12OffersOnlyCiphersHttp2Allows(Provider provider) throws Exception {
        start(twoCertificates(provider));
        // A CBC suite is on HTTP/2's deny list (RFC 9113 appendix A): refused even for TLS 1.2.
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(server.nextOutcome().startsWith("handshake-failed="));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void sniPicksTheCertificateAndTheFirstIsTheDefault(Provider provider) throws Exception {
        start(twoCertificates(provider));
        assertSubject("CN = a.test", "-servername", "a.test");
        assertSubject("CN = b.test", "-servername", "b.test");
        assertSubject("CN = b.test", "-servername", "www.b.test");
        assertSubject("CN = a.test", "-servername", "unknown.test");
        assertSubject("CN = a.test", "-noservername");
    }

    private void assertSubject(String subject, String... args) throws InterruptedException {
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), args);
        assertTrue(result.contains("subject=" + subject), String.join(" ", args) + ":\n" + result.output());
        assertEquals("protocol=none", server.nextOutcome());
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void theGeneratedCertificateServesLocalhost(Provider provider) throws Exception {
        start(TlsConfig.defaults().withProvider(provider).withStateDir(dir.resolve("state-" + provider)));
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), "-alpn", "h2,http/1.1",
                "-servername", "localhost");
        assertTrue(result.contains("ALPN protocol: h2") && result.contains("subject=CN = localhost"),
                result.output());
        assertTrue(result.contains("Peer signature type: ECDSA"), result.output());
        assertEquals("protocol=h2", server.nextOutcome());
    }

    @Test
    void aSilentClientIsClosedAtTheHandshakeTimeout() throws Exception {
        TlsConfig config = twoCertificates(Provider.OPENSSL);
        start(new TlsConfig(true, "127.0.0.1", 0, config.protocols(), config.versions(), config.provider(),
                Duration.ofMillis(300), config.stateDir(), config.certificates(), config.sessionTickets()));
        // Timed from before the connect: the server's timer starts at accept, which a start taken
        // after connect returned may follow (this thread descheduled), and then the close looks early.
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            assertEquals(-1, in.read());
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(millis >= 250 && millis < 3000, "closed after " + millis + "ms");
        }
        assertTrue(server.nextOutcome().contains("SslHandshakeTimeoutException"));
    }

    @Test
    void closeReleasesTheOpenSslContexts() throws Exception {
        TlsContexts contexts = TlsContexts.load(twoCertificates(Provider.OPENSSL),
                TlsProvider.choose(Provider.OPENSSL), Clock.systemUTC());
        assertTrue(contexts.defaultContext() instanceof ReferenceCounted);
        contexts.close();
        contexts.close();
        for (SslContext context : List.of(contexts.sniMapping().map("a.test"), contexts.sniMapping().map("b.test"))) {
            assertEquals(0, ((ReferenceCounted) context).refCnt());
        }
    }

    @Test
    void aBadCertificateEntryIsNamed() {
        TlsConfig config = twoCertificates(Provider.OPENSSL).withCertificates(List.of(
                new CertificateEntry(List.of("a.test"), dir.resolve("a.crt"), dir.resolve("a.key")),
                new CertificateEntry(List.of("b.test"), dir.resolve("b.crt"), dir.resolve("a.key"))));
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> start(config));
        assertEquals("tls.certificates[1]: " + dir.resolve("a.key") + ": key does not match the certificate in "
                + dir.resolve("b.crt"), e.getMessage());
    }

    @Test
    void startupLinesNameTheProviderAndTheCertificates() throws Exception {
        start(twoCertificates(Provider.AUTO));
        List<String> lines = frontEnd.describe();
        assertTrue(lines.get(0).startsWith("TLS provider OpenSSL (BoringSSL"), lines.get(0));
        assertTrue(lines.get(1).startsWith("TLS certificate a.test: CN=a.test (EC P-256"), lines.get(1));
        assertTrue(lines.get(2).startsWith("TLS certificate b.test, *.b.test: CN=b.test (EC P-256"), lines.get(2));
    }
}
