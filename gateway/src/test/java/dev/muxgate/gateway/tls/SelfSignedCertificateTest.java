package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dir;

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void isGeneratedOnFirstStartAsEcdsaP256ForLocalhost() throws Exception {
        Path stateDir = dir.resolve("var/state");
        ServerCertificate certificate = SelfSignedCertificate.loadOrGenerate(stateDir, at(NOW));
        X509Certificate leaf = certificate.leaf();
        assertEquals("EC P-256", certificate.keyType());
        assertEquals("SHA256withECDSA", leaf.getSigAlgName());
        assertEquals("CN=localhost", leaf.getSubjectX500Principal().getName());
        assertEquals(leaf.getSubjectX500Principal(), leaf.getIssuerX500Principal());
        assertEquals(List.of(List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1")),
                List.copyOf(leaf.getSubjectAlternativeNames()));
        assertEquals(NOW.plus(Duration.ofDays(365)), leaf.getNotAfter().toInstant());
        assertTrue(leaf.getNotBefore().toInstant().isBefore(NOW));
        leaf.verify(leaf.getPublicKey());
        assertTrue(certificate.source().contains("generated"), certificate.source());

        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(stateDir.resolve("selfsigned-ec.key")));
        assertTrue(Files.readString(stateDir.resolve("selfsigned-ec.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(stateDir.resolve("selfsigned-ec.crt")).startsWith("-----BEGIN CERTIFICATE-----"));
        // The files are what any TLS tool reads.
        String text = OpenSslCli.ok(dir, "x509", "-in", stateDir.resolve("selfsigned-ec.crt").toString(),
                "-noout", "-text");
        assertTrue(text.contains("DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1"), text);
        OpenSslCli.ok(dir, "pkey", "-in", stateDir.resolve("selfsigned-ec.key").toString(), "-noout");
    }

    @Test
    void isReusedOnLaterStarts() {
        ServerCertificate first = SelfSignedCertificate.loadOrGenerate(dir, at(NOW));
        ServerCertificate second = SelfSignedCertificate.loadOrGenerate(dir, at(NOW.plus(Duration.ofDays(300))));
        assertEquals(first.leaf(), second.leaf());
        assertEquals(first.key(), second.key());
        assertTrue(second.source().contains("reused"), second.source());
    }

    @Test
    void isRegeneratedWithinAWeekOfExpiry() {
        ServerCertificate first = SelfSignedCertificate.loadOrGenerate(dir, at(NOW));
        ServerCertificate second = SelfSignedCertificate.loadOrGenerate(dir, at(NOW.plus(Duration.ofDays(359))));
        assertNotEquals(first.leaf(), second.leaf());
        assertTrue(second.source().contains("expires at"), second.source());
    }

    @Test
    void isRegeneratedWhenExpired() {
        ServerCertificate first = SelfSignedCertificate.loadOrGenerate(dir, at(NOW));
        Instant later = NOW.plus(Duration.ofDays(400));
        ServerCertificate second = SelfSignedCertificate.loadOrGenerate(dir, at(later));
        assertNotEquals(first.leaf(), second.leaf());
        assertTrue(second.source().contains("expired at"), second.source());
        assertEquals(later.plus(Duration.ofDays(365)), second.leaf().getNotAfter().toInstant());
        // And the new one is kept.
        assertEquals(second.leaf(), SelfSignedCertificate.loadOrGenerate(dir, at(later)).leaf());
    }

    @Test
    void isRegeneratedWhenTheKeptFilesAreUnusable() throws Exception {
        SelfSignedCertificate.loadOrGenerate(dir, at(NOW));
        Files.writeString(dir.resolve("selfsigned-ec.key"), "garbage\n");
        ServerCertificate second = SelfSignedCertificate.loadOrGenerate(dir, at(NOW));
        assertTrue(second.source().contains("unusable"), second.source());
        PemFiles.read(List.of(), dir.resolve("selfsigned-ec.crt"), dir.resolve("selfsigned-ec.key"));
    }
}
