package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;

/**
 * The contexts that serve one set of SNI names, one per key kind: a signature-scheme certificate
 * (ECDSA, Ed25519) for every client that lists its scheme, and an RSA one for the others. Either may
 * be missing, and then the other serves everyone.
 *
 * @param preferred       the ECDSA (or Ed25519) context, or null
 * @param preferredScheme the signature scheme a client must offer to get {@code preferred}
 * @param fallback        the RSA context, or null
 */
record CertificateChoice(SslContext preferred, int preferredScheme, SslContext fallback) {

    CertificateChoice {
        if (preferred == null && fallback == null) {
            throw new IllegalArgumentException("a choice needs at least one context");
        }
    }

    /** The context for a client whose ClientHello body is {@code hello} (null: no hello seen). */
    SslContext pick(ByteBuf hello) {
        if (preferred == null) {
            return fallback;
        }
        if (fallback == null) {
            return preferred;
        }
        return hello != null && ClientHelloSignatures.offers(hello, preferredScheme) ? preferred : fallback;
    }

    /** What serves clients that say nothing: the preferred kind when there is one. */
    SslContext any() {
        return preferred != null ? preferred : fallback;
    }
}
