package dev.muxgate.gateway.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.util.List;
import java.util.Objects;

/**
 * A private key and its certificate chain (leaf first), with the SNI names it serves and where it
 * came from, as the front end shows it to clients.
 *
 * @param names  SNI names (host names or {@code *.domain}); empty for the generated default
 * @param chain  the certificate chain, leaf first
 * @param key    the leaf's private key
 * @param source where it came from, for the start-up output (file names, or "generated"/"reused")
 */
public record ServerCertificate(List<String> names, List<X509Certificate> chain, PrivateKey key, String source) {

    public ServerCertificate {
        names = List.copyOf(names);
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(source, "source");
    }

    /** The end-entity certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** The chain as an array, as SslContextBuilder takes it. */
    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    /** The key type as operators say it: {@code EC P-256}, {@code RSA 2048}, {@code Ed25519}. */
    public String keyType() {
        if (key instanceof ECKey) {
            int bits = ((ECKey) key).getParams().getCurve().getField().getFieldSize();
            return bits == 256 ? "EC P-256" : bits == 384 ? "EC P-384" : bits == 521 ? "EC P-521" : "EC " + bits;
        }
        if (key instanceof RSAKey) {
            return "RSA " + ((RSAKey) key).getModulus().bitLength();
        }
        return key.getAlgorithm();
    }

    /**
     * The TLS signature scheme (RFC 8446 section 4.2.3) a client must offer to verify this key, or
     * -1 for RSA, which every client takes and which is therefore the fallback.
     */
    public int requiredSignatureScheme() {
        if (key instanceof ECKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            return bits == 256 ? 0x0403 : bits == 384 ? 0x0503 : bits == 521 ? 0x0603 : 0x0403;
        }
        if (key instanceof RSAKey) {
            return -1;
        }
        return "Ed25519".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())
                ? 0x0807 : -1;
    }

    /** One line for the start-up output. */
    public String describe() {
        String served = names.isEmpty() ? "default" : String.join(", ", names);
        return served + ": " + leaf().getSubjectX500Principal().getName() + " (" + keyType() + ", until "
                + leaf().getNotAfter().toInstant() + ", " + source + ")";
    }
}
