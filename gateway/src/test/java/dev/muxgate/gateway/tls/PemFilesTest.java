package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM certificate chains and keys as openssl writes them. */
class PemFilesTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws Exception {
        // RSA: PKCS#8 from req, PKCS#1 from "pkey -traditional".
        OpenSslCli.ok(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa-pkcs8.key",
                "-out", "rsa.crt", "-subj", "/CN=rsa.test", "-days", "2");
        OpenSslCli.ok(dir, "pkey", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
        // EC: SEC1 from ecparam (with its EC PARAMETERS block first), PKCS#8 from pkey.
        OpenSslCli.ok(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key");
        OpenSslCli.ok(dir, "req", "-x509", "-key", "ec-sec1.key", "-out", "ec.crt", "-subj", "/CN=ec.test",
                "-days", "2");
        OpenSslCli.ok(dir, "pkey", "-in", "ec-sec1.key", "-out", "ec-pkcs8.key");
        // A second EC key, and encrypted keys in both forms.
        OpenSslCli.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "other.key");
        OpenSslCli.ok(dir, "pkey", "-in", "rsa-pkcs8.key", "-aes256", "-passout", "pass:secret",
                "-out", "encrypted-pkcs8.key");
        OpenSslCli.ok(dir, "pkey", "-in", "rsa-pkcs8.key", "-traditional", "-aes256", "-passout", "pass:secret",
                "-out", "encrypted-pkcs1.key");
        // A chain: a CA and a leaf it signed, leaf first.
        OpenSslCli.ok(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=Test CA", "-days", "2");
        OpenSslCli.ok(dir, "req", "-new", "-key", "other.key", "-out", "leaf.csr", "-subj", "/CN=leaf.test");
        OpenSslCli.ok(dir, "x509", "-req", "-in", "leaf.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "leaf.crt", "-days", "2");
        Files.writeString(dir.resolve("chain.crt"),
                Files.readString(dir.resolve("leaf.crt")) + Files.readString(dir.resolve("ca.crt")));
        Files.writeString(dir.resolve("combined.pem"),
                Files.readString(dir.resolve("ec-pkcs8.key")) + Files.readString(dir.resolve("ec.crt")));
        for (String file : List.of("rsa-pkcs8.key", "rsa-pkcs1.key", "ec-sec1.key", "ec-pkcs8.key")) {
            String firstLine = Files.readAllLines(dir.resolve(file)).stream()
                    .filter(line -> line.startsWith("-----BEGIN") && !line.contains("PARAMETERS"))
                    .findFirst().orElseThrow();
            assertEquals(expectedHeader(file), firstLine, file);
        }
    }

    private static String expectedHeader(String file) {
        switch (file) {
            case "rsa-pkcs1.key":
                return "-----BEGIN RSA PRIVATE KEY-----";
            case "ec-sec1.key":
                return "-----BEGIN EC PRIVATE KEY-----";
            default:
                return "-----BEGIN PRIVATE KEY-----";
        }
    }

    private static ServerCertificate read(String cert, String key) {
        return PemFiles.read(List.of("x.test"), dir.resolve(cert), dir.resolve(key));
    }

    private static String refused(String cert, String key) {
        return assertThrows(TlsSetupException.class, () -> read(cert, key)).getMessage();
    }

    @Test
    void readsPkcs8RsaKeys() {
        ServerCertificate certificate = read("rsa.crt", "rsa-pkcs8.key");
        assertEquals("RSA 2048", certificate.keyType());
        assertEquals("CN=rsa.test", certificate.leaf().getSubjectX500Principal().getName());
    }

    @Test
    void readsPkcs1RsaKeys() {
        assertEquals("RSA 2048", read("rsa.crt", "rsa-pkcs1.key").keyType());
    }

    @Test
    void readsSec1EcKeysAfterTheirParameters() {
        assertEquals("EC P-256", read("ec.crt", "ec-sec1.key").keyType());
    }

    @Test
    void readsPkcs8EcKeys() {
        assertEquals("EC P-256", read("ec.crt", "ec-pkcs8.key").keyType());
    }

    @Test
    void readsAChainLeafFirst() {
        ServerCertificate certificate = read("chain.crt", "other.key");
        assertEquals(2, certificate.chain().size());
        assertEquals("CN=leaf.test", certificate.leaf().getSubjectX500Principal().getName());
        assertEquals("CN=Test CA", certificate.chain().get(1).getSubjectX500Principal().getName());
    }

    @Test
    void readsKeyAndCertificateFromOneFile() {
        assertEquals("EC P-256", read("combined.pem", "combined.pem").keyType());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() {
        assertEquals(dir.resolve("other.key") + ": key does not match the certificate in " + dir.resolve("ec.crt"),
                refused("ec.crt", "other.key"));
        assertTrue(refused("rsa.crt", "ec-pkcs8.key").endsWith(
                "(the key is EC, the certificate's key is RSA)"));
    }

    @Test
    void encryptedKeysAreRefused() {
        assertTrue(refused("rsa.crt", "encrypted-pkcs8.key").startsWith(
                dir.resolve("encrypted-pkcs8.key") + ": the private key is encrypted"));
        assertTrue(refused("rsa.crt", "encrypted-pkcs1.key").startsWith(
                dir.resolve("encrypted-pkcs1.key") + ": the private key is encrypted"));
    }

    @Test
    void aFileWithoutCertificateIsRefused() {
        assertTrue(refused("rsa-pkcs8.key", "rsa-pkcs8.key").startsWith(
                dir.resolve("rsa-pkcs8.key") + ": no certificate found"));
    }

    @Test
    void aFileWithoutKeyIsRefused() {
        assertTrue(refused("rsa.crt", "rsa.crt").startsWith(dir.resolve("rsa.crt") + ": no private key found"));
    }

    @Test
    void aMissingFileIsNamed() {
        assertEquals(dir.resolve("nothing.crt") + ": file not found", refused("nothing.crt", "rsa-pkcs8.key"));
    }

    @Test
    void aDamagedPemBlockIsNamed() throws Exception {
        Files.writeString(dir.resolve("damaged.crt"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        assertTrue(refused("damaged.crt", "rsa-pkcs8.key").startsWith(dir.resolve("damaged.crt") + ": "));
    }
}
