package dev.muxgate.gateway.origin;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A certificate authority made in the test with BouncyCastle, as the gateway makes its self-signed
 * pair: ECDSA P-256, issuing server and client certificates for the names a test asks for.
 */
final class TestCa {

    /** A key and the certificate issued for it. */
    record Issued(X509Certificate certificate, PrivateKey key) {
        void writePem(Path certFile, Path keyFile) throws IOException {
            Files.writeString(certFile, pem(certificate));
            Files.writeString(keyFile, pem(new PemObject("PRIVATE KEY", key.getEncoded())), StandardCharsets.US_ASCII);
        }
    }

    private final X500Name name;
    private final KeyPair keys;
    final X509Certificate certificate;

    TestCa(String commonName) throws Exception {
        name = new X500Name("CN=" + commonName);
        keys = newKeys();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        certificate = sign(b, keys.getPrivate());
    }

    /** A server certificate for {@code dnsName} (and 127.0.0.1). */
    Issued server(String dnsName) throws Exception {
        return issue(dnsName, KeyPurposeId.id_kp_serverAuth, new GeneralName(GeneralName.dNSName, dnsName),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    Issued client(String commonName) throws Exception {
        return issue(commonName, KeyPurposeId.id_kp_clientAuth, new GeneralName(GeneralName.dNSName, commonName));
    }

    void writePem(Path file) throws IOException {
        Files.writeString(file, pem(certificate));
    }

    private Issued issue(String commonName, KeyPurposeId purpose, GeneralName... names) throws Exception {
        KeyPair leaf = newKeys();
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + commonName), leaf.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        return new Issued(sign(b, keys.getPrivate()), leaf.getPrivate());
    }

    private static KeyPair newKeys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(64, new SecureRandom()).setBit(63);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey by) throws Exception {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(by)));
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(text)) {
            w.writeObject(object);
        }
        return text.toString();
    }
}
