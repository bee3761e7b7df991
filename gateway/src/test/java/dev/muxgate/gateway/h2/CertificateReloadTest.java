package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A certificate file replaced while the gateway runs, then a reload: an h2 session opened before
 * keeps working (new streams on it are served), a new handshake ({@code openssl s_client}) gets
 * the new certificate. A broken certificate file on a later reload keeps the one in use.
 */
@Timeout(120)
class CertificateReloadTest {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\\s*(.+?)\\s*-----END CERTIFICATE-----", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void aReplacedCertificateServesNewHandshakesWhileOpenSessionsGoOn() throws Exception {
        assumeTrue(Tool.installed("openssl"), "openssl is installed by bin/test-setup");
        Path cert = dir.resolve("site.crt");
        Path key = dir.resolve("site.key");
        newCertificate(cert, key);
        String first = pemBody(Files.readString(cert));
        Path conf = dir.resolve("gateway.yaml");
        Files.writeString(conf, "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "  handshake-timeout: 2s\n"
                + "  certificates:\n    - names: [localhost]\n      cert: " + cert + "\n      key: " + key + "\n"
                + "admin:\n  enabled: false\n"
                + "warm-up:\n  requests: 0\n"
                + "logs:\n  access:\n    path: " + dir.resolve("access.log") + "\n"
                + "  session:\n    path: " + dir.resolve("session.log") + "\n");
        try (Gateway gateway = Gateway.start(GatewayConfig.load(conf))) {
            int port = gateway.tlsAddress().getPort();
            assertEquals(first, servedCertificate(port));
            try (H2Client open = H2Client.connect(port, 1 << 20)) {
                assertEquals("200", get(open, "/"));
                String before = peerCertificate(open);
                assertEquals(first, before);

                newCertificate(cert, key);
                String second = pemBody(Files.readString(cert));
                assertNotEquals(first, second);
                List<String> notes = gateway.reload(GatewayConfig.load(conf));
                assertTrue(notes.stream().anyMatch(n -> n.contains("localhost")), "the new certificate is listed: " + notes);

                assertEquals(second, servedCertificate(port), "a new handshake gets the new certificate");
                assertTrue(open.parentActive(), "the session opened before the reload is still open");
                assertEquals("200", get(open, "/"), "and serves new streams");
                assertEquals(before, peerCertificate(open));

                Files.writeString(cert, "not a certificate\n");
                RuntimeException refused = assertThrows(RuntimeException.class,
                        () -> gateway.reload(GatewayConfig.load(conf)));
                assertTrue(String.valueOf(refused.getMessage()).contains(cert.toString()), refused.getMessage());
                assertEquals(second, servedCertificate(port), "a broken file keeps the certificate in use");
                assertEquals("200", get(open, "/"));
                System.out.println("certificate reload: the session opened before it served 3 of 3 streams, before, "
                        + "after and past a refused reload; 3 new handshakes got the certificate of their moment; "
                        + "reload notes: " + notes.size());
            }
        }
    }

    private void newCertificate(Path cert, Path key) throws Exception {
        Tool.Result r = Tool.run(dir, 60, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-subj", "/CN=localhost", "-days", "2", "-addext", "subjectAltName=DNS:localhost");
        assertEquals(0, r.exit(), r.all());
    }


    /** The certificate a fresh handshake for {@code localhost} is given, as its base64 body. */
    private String servedCertificate(int port) throws Exception {
        Tool.Result r = Tool.run(dir, 60, "openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-servername", "localhost", "-alpn", "h2");
        return pemBody(r.stdout());
    }

    private static String pemBody(String text) {
        Matcher m = PEM.matcher(text);
        assertTrue(m.find(), "no certificate in:\n" + text);
        return m.group(1).replaceAll("\\s", "");
    }

    private static String peerCertificate(H2Client client) throws Exception {
        X509Certificate leaf = (X509Certificate) client.parent.pipeline().get(SslHandler.class).engine()
                .getSession().getPeerCertificates()[0];
        return Base64.getEncoder().encodeToString(leaf.getEncoded());
    }

    private static String get(H2Client client, String path) throws Exception {
        H2Client.Recorder recorder = new H2Client.Recorder(false);
        Http2StreamChannel stream = client.open(recorder);
        stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", path), true)).sync();
        String status = recorder.status();
        assertEquals("end", recorder.awaitEnd());
        return status;
    }
}
