package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.tls.TlsConfig.CertificateEntry;
import dev.muxgate.gateway.tls.TlsConfig.Provider;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each client gets the ECDSA certificate when its signature algorithms allow it and the RSA one
 * otherwise, for the generated defaults and for configured pairs; checked with
 * {@code openssl s_client -sigalgs} over TLS 1.3 and 1.2.
 */
@ExtendWith(OpenSslContextLeakCheck.class)
class CertificateSelectionTest {

    private static final String RSA_ONLY = "RSA+SHA256:RSA-PSS+SHA256:RSA+SHA384";
    private static final String ECDSA_ONLY = "ECDSA+SHA256";

    @TempDir
    static Path dir;

    private TlsFrontEnd frontEnd;
    private TestTlsServer server;

    @BeforeAll
    static void certificates() {
        OpenSslCli.selfSigned(dir, "a.test", "a-ec.key", "a-ec.crt");
        OpenSslCli.selfSignedRsa(dir, "a.test", "a-rsa.key", "a-rsa.crt");
        OpenSslCli.selfSignedRsa(dir, "b.test", "b-rsa.key", "b-rsa.crt");
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

    private void start(TlsConfig config) throws InterruptedException {
        frontEnd = TlsFrontEnd.open(config, Clock.systemUTC());
        server = new TestTlsServer(frontEnd::newSniHandler);
    }

    /** The key size the server proved it holds: 256 for P-256, 2048 for RSA 2048. */
    private String keyBits(String version, String... args) throws InterruptedException {
        String[] all = new String[args.length + 1];
        all[0] = version;
        System.arraycopy(args, 0, all, 1, args.length);
        OpenSslCli.Result result = OpenSslCli.sClient(server.port(), all);
        server.nextOutcome();
        String output = result.output();
        int at = output.indexOf("Server public key is ");
        assertTrue(at >= 0, String.join(" ", all) + ":\n" + output);
        return output.substring(at + "Server public key is ".length(), output.indexOf(" bit", at));
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENSSL", "JDK"})
    void theGeneratedPairServesEcdsaToThoseWhoCanAndRsaToTheRest(Provider provider) throws Exception {
        start(TlsConfig.defaults().withProvider(provider).withStateDir(dir.resolve("state-" + provider)));
        for (String version : List.of("-tls1_3", "-tls1_2")) {
            assertEquals("256", keyBits(version, "-sigalgs", ECDSA_ONLY), version);
            assertEquals("2048", keyBits(version, "-sigalgs", RSA_ONLY), version);
            assertEquals("256", keyBits(version), version + " with openssl's default list, which has both");
        }
        List<String> lines = frontEnd.describe();
        assertTrue(lines.stream().anyMatch(l -> l.contains("(EC P-256,")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("(RSA 2048,")), lines.toString());
    }

    @Test
    void configuredPairsAreChosenPerNameAndALoneRsaCertificateServesEveryone() throws Exception {
        start(TlsConfig.defaults().withStateDir(dir.resolve("state")).withCertificates(List.of(
                new CertificateEntry(List.of("a.test"), dir.resolve("a-rsa.crt"), dir.resolve("a-rsa.key")),
                new CertificateEntry(List.of("a.test"), dir.resolve("a-ec.crt"), dir.resolve("a-ec.key")),
                new CertificateEntry(List.of("b.test"), dir.resolve("b-rsa.crt"), dir.resolve("b-rsa.key")))));
        assertEquals("256", keyBits("-tls1_3", "-servername", "a.test", "-sigalgs", ECDSA_ONLY));
        assertEquals("2048", keyBits("-tls1_3", "-servername", "a.test", "-sigalgs", RSA_ONLY));
        assertEquals("2048", keyBits("-tls1_2", "-servername", "b.test"));
        assertEquals("2048", keyBits("-tls1_3", "-servername", "b.test", "-sigalgs", RSA_ONLY));
        // The first set of names is the default, with both of its kinds.
        assertEquals("256", keyBits("-tls1_3", "-servername", "unknown.test", "-sigalgs", ECDSA_ONLY));
        assertEquals("2048", keyBits("-tls1_3", "-noservername", "-sigalgs", RSA_ONLY));
    }

    @Test
    void twoCertificatesOfOneKindForTheSameNamesAreRefused() {
        TlsConfig config = TlsConfig.defaults().withStateDir(dir.resolve("state")).withCertificates(List.of(
                new CertificateEntry(List.of("a.test"), dir.resolve("a-rsa.crt"), dir.resolve("a-rsa.key")),
                new CertificateEntry(List.of("a.test"), dir.resolve("b-rsa.crt"), dir.resolve("b-rsa.key"))));
        TlsSetupException e = assertThrows(TlsSetupException.class, () -> TlsFrontEnd.open(config, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("tls.certificates[1]") && e.getMessage().contains("second RSA"),
                e.getMessage());
    }
}
