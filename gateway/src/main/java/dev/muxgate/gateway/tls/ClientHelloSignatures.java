package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;

/**
 * Reads the {@code signature_algorithms} extension (RFC 8446 section 4.2.3; RFC 5246 section
 * 7.4.1.4.1) from a TLS ClientHello body, as Netty's SslClientHelloHandler hands it over: from
 * {@code client_version} on. It answers one question, which certificate a client can verify. Never
 * throws on bad input: a malformed hello is the TLS engine's to refuse.
 */
final class ClientHelloSignatures {

    private static final int SIGNATURE_ALGORITHMS_EXTENSION = 13;

    private ClientHelloSignatures() {
    }

    /**
     * Whether the client lists {@code scheme} (e.g. 0x0403, ecdsa_secp256r1_sha256); false when the
     * extension is absent, since a client that names no scheme is only sure to take RSA.
     */
    static boolean offers(ByteBuf hello, int scheme) {
        int offset = ClientHelloExtensions.find(hello, SIGNATURE_ALGORITHMS_EXTENSION);
        if (offset < 0) {
            return false;
        }
        int extensionLength = hello.getUnsignedShort(offset - 2);
        if (extensionLength < 2) {
            return false;
        }
        int listLength = hello.getUnsignedShort(offset);
        int end = Math.min(offset + 2 + listLength, offset + extensionLength);
        for (int i = offset + 2; i + 2 <= end; i += 2) {
            if (hello.getUnsignedShort(i) == scheme) {
                return true;
            }
        }
        return false;
    }
}
