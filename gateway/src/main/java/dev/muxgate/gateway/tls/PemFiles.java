package dev.muxgate.gateway.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * Reads a server certificate from PEM files with BouncyCastle: a certificate chain (leaf first)
 * and an unencrypted private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA
 * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 EC ({@code BEGIN EC PRIVATE KEY}) form, and checks that
 * the key belongs to the leaf. Blocking file I/O: call it at start-up, never on an event loop.
 * Every failure is a {@link TlsSetupException} naming the file and what is wrong with it.
 */
public final class PemFiles {

    private static final byte[] PROBE = "muxgate key check".getBytes(StandardCharsets.US_ASCII);

    private PemFiles() {
    }

    /** The chain from {@code certFile} and the key from {@code keyFile}, which may be the same file. */
    public static ServerCertificate read(List<String> names, Path certFile, Path keyFile) {
        List<X509Certificate> chain = readChain(certFile);
        PrivateKey key = readKey(keyFile);
        checkKeyMatches(key, keyFile, chain.get(0), certFile);
        String source = certFile.equals(keyFile) ? certFile.toString() : certFile + " + " + keyFile;
        return new ServerCertificate(names, chain, key, source);
    }

    /** Every certificate in {@code file}, in file order (leaf first); other PEM objects are skipped. */
    public static List<X509Certificate> readChain(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(open(file))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder) {
                    chain.add(converter.getCertificate((X509CertificateHolder) object));
                }
            }
        } catch (CertificateException e) {
            throw new TlsSetupException(file + ": certificate " + (chain.size() + 1) + " cannot be decoded: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (chain.isEmpty()) {
            throw new TlsSetupException(file + ": no certificate found (expected PEM blocks "
                    + "\"-----BEGIN CERTIFICATE-----\")");
        }
        return chain;
    }

    /** The first private key in {@code file}; certificates and parameters in the same file are skipped. */
    public static PrivateKey readKey(Path file) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser parser = new PEMParser(open(file))) {
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo) {
                    // BEGIN PRIVATE KEY (PKCS#8)
                    return converter.getPrivateKey((PrivateKeyInfo) object);
                }
                if (object instanceof PEMKeyPair) {
                    // BEGIN RSA PRIVATE KEY (PKCS#1) or BEGIN EC PRIVATE KEY (SEC1)
                    return converter.getKeyPair((PEMKeyPair) object).getPrivate();
                }
                if (object instanceof PKCS8EncryptedPrivateKeyInfo || object instanceof PEMEncryptedKeyPair) {
                    throw new TlsSetupException(file + ": the private key is encrypted; muxgate reads "
                            + "unencrypted keys only (decrypt it with: openssl pkey -in KEY -out PLAIN.key, "
                            + "and keep PLAIN.key readable by the gateway's user only)");
                }
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        throw new TlsSetupException(file + ": no private key found (expected \"-----BEGIN PRIVATE KEY-----\", "
                + "\"-----BEGIN RSA PRIVATE KEY-----\" or \"-----BEGIN EC PRIVATE KEY-----\")");
    }

    /** Fails unless {@code key} is the private half of {@code leaf}'s public key. */
    static void checkKeyMatches(PrivateKey key, Path keyFile, X509Certificate leaf, Path certFile) {
        PublicKey publicKey = leaf.getPublicKey();
        String keyAlgorithm = family(key.getAlgorithm());
        String certAlgorithm = family(publicKey.getAlgorithm());
        if (!keyAlgorithm.equals(certAlgorithm)) {
            throw new TlsSetupException(keyFile + ": key does not match the certificate in " + certFile
                    + " (the key is " + keyAlgorithm + ", the certificate's key is " + certAlgorithm + ")");
        }
        // Sign and verify rather than compare key fields: it works for every key type the JDK knows.
        String algorithm = signatureAlgorithm(keyAlgorithm);
        boolean matches;
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            throw new TlsSetupException(keyFile + ": the key cannot be checked against the certificate in "
                    + certFile + ": " + e.getMessage(), e);
        }
        if (!matches) {
            throw new TlsSetupException(keyFile + ": key does not match the certificate in " + certFile);
        }
    }

    private static String family(String algorithm) {
        return algorithm.equals("ECDSA") ? "EC" : algorithm;
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            default:
                return keyAlgorithm; // Ed25519, Ed448, EdDSA name their own signature
        }
    }

    private static Reader open(Path file) {
        try {
            // ISO-8859-1 decodes any byte: a stray non-ASCII comment must not hide the real problem.
            return Files.newBufferedReader(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static TlsSetupException unreadable(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new TlsSetupException(file + ": file not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new TlsSetupException(file + ": permission denied", e);
        }
        return new TlsSetupException(file + ": not a readable PEM file: " + e.getMessage(), e);
    }
}
