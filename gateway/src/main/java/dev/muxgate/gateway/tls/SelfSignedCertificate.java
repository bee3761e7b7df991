package dev.muxgate.gateway.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * The certificate the gateway shows when none is configured, so that a fresh install serves TLS at
 * once: an ECDSA P-256 key, a certificate signed with SHA256withECDSA for {@code CN=localhost} with
 * the names localhost, 127.0.0.1 and ::1, valid for a year. Generated with BouncyCastle on first
 * start and kept as PEM in the state directory ({@value #CERT_FILE}, and {@value #KEY_FILE} readable
 * by the owner only), reused on later starts, generated again when it has expired, is about to
 * ({@link #RENEW_BEFORE}), or cannot be read. Blocking file I/O: start-up only.
 */
public final class SelfSignedCertificate {

    public static final String CERT_FILE = "selfsigned-ec.crt";
    public static final String KEY_FILE = "selfsigned-ec.key";

    /** The key kinds of the generated defaults: ECDSA for every client that can, RSA for the rest. */
    public enum Kind {
        EC_P256("EC", "selfsigned-ec", "SHA256withECDSA"),
        RSA_2048("RSA", "selfsigned-rsa", "SHA256withRSA");

        final String keyAlgorithm;
        final String fileStem;
        final String signatureAlgorithm;

        Kind(String keyAlgorithm, String fileStem, String signatureAlgorithm) {
            this.keyAlgorithm = keyAlgorithm;
            this.fileStem = fileStem;
            this.signatureAlgorithm = signatureAlgorithm;
        }

        KeyPair newKeyPair() throws GeneralSecurityException {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(keyAlgorithm);
            if (this == EC_P256) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            } else {
                generator.initialize(2048, new SecureRandom());
            }
            return generator.generateKeyPair();
        }
    }
    public static final Duration VALIDITY = Duration.ofDays(365);
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);

    // Clients whose clock is a little behind still accept a certificate made a moment ago.
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final X500Name SUBJECT = new X500Name("CN=localhost");

    private SelfSignedCertificate() {
    }

    /**
     * The certificate kept in {@code stateDir}, or a new one written there when there is none, or
     * when the kept one expires within {@link #RENEW_BEFORE} of {@code clock}'s now or cannot be read.
     */
    public static ServerCertificate loadOrGenerate(Path stateDir, Clock clock) {
        return loadOrGenerate(stateDir, clock, Kind.EC_P256);
    }

    /** Both generated defaults, ECDSA first: what the front end serves when none is configured. */
    public static List<ServerCertificate> loadOrGenerateAll(Path stateDir, Clock clock) {
        return List.of(loadOrGenerate(stateDir, clock, Kind.EC_P256), loadOrGenerate(stateDir, clock, Kind.RSA_2048));
    }

    /** As {@link #loadOrGenerate(Path, Clock)}, for a key of {@code kind}. */
    public static ServerCertificate loadOrGenerate(Path stateDir, Clock clock, Kind kind) {
        Path certFile = stateDir.resolve(kind.fileStem + ".crt");
        Path keyFile = stateDir.resolve(kind.fileStem + ".key");
        Instant now = clock.instant();
        String why = "generated";
        if (Files.exists(certFile) && Files.exists(keyFile)) {
            try {
                ServerCertificate kept = PemFiles.read(List.of(), certFile, keyFile);
                Instant notBefore = kept.leaf().getNotBefore().toInstant();
                Instant notAfter = kept.leaf().getNotAfter().toInstant();
                if (now.isBefore(notBefore)) {
                    why = "regenerated, the kept one is not valid before " + notBefore;
                } else if (!now.plus(RENEW_BEFORE).isBefore(notAfter)) {
                    why = now.isBefore(notAfter)
                            ? "regenerated, the kept one expires at " + notAfter
                            : "regenerated, the kept one expired at " + notAfter;
                } else {
                    return new ServerCertificate(List.of(), kept.chain(), kept.key(), "self-signed, reused from "
                            + certFile);
                }
            } catch (TlsSetupException e) {
                why = "regenerated, the kept one is unusable: " + e.getMessage();
            }
        }
        ServerCertificate fresh = generate(now, kind);
        write(fresh, certFile, keyFile);
        return new ServerCertificate(List.of(), fresh.chain(), fresh.key(), "self-signed, " + why + " in "
                + certFile);
    }

    /** A new key and certificate valid from about {@code now} for {@link #VALIDITY}, in memory. */
    public static ServerCertificate generate(Instant now) {
        return generate(now, Kind.EC_P256);
    }

    /** As {@link #generate(Instant)}, with a key of {@code kind}. */
    public static ServerCertificate generate(Instant now, Kind kind) {
        try {
            KeyPair keyPair = kind.newKeyPair();
            // Positive, 64 random bits, as CAs do (CA/B Forum baseline: at least 64 bits of entropy).
            BigInteger serial = new BigInteger(64, new SecureRandom()).setBit(63);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(SUBJECT, serial,
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(VALIDITY)), SUBJECT, keyPair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
            }));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(kind.signatureAlgorithm)
                            .build(keyPair.getPrivate())));
            return new ServerCertificate(List.of(), List.of(certificate), keyPair.getPrivate(), "self-signed");
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsSetupException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /** Writes the certificate and its key (owner-only) as PEM, each replacing any old file atomically. */
    static void write(ServerCertificate certificate, Path certFile, Path keyFile) {
        Path dir = certFile.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new TlsSetupException(dir + ": cannot create the state directory: " + e.getMessage(), e);
        }
        // PKCS#8, "BEGIN PRIVATE KEY": what openssl, curl and every TLS server read.
        writeAtomically(keyFile, pem(new PemObject("PRIVATE KEY", certificate.key().getEncoded())), true);
        writeAtomically(certFile, pem(certificate.leaf()), false);
    }

    private static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    private static void writeAtomically(Path file, String text, boolean ownerOnly) {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
            // Created with its final mode, so the key is never readable by others, even for a moment.
            temp = ownerOnly && posix
                    ? Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            if (!ownerOnly && posix) {
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.writeString(temp, text, StandardCharsets.US_ASCII);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new TlsSetupException(file + ": cannot write the generated certificate: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write failed already; that is the error to report.
                }
            }
        }
    }
}
