package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the protocol names of the ALPN extension (RFC 7301 section 3.1) from a TLS ClientHello
 * body, as Netty's SslClientHelloHandler hands it over: from {@code client_version} on, the four
 * bytes of handshake header already stripped. Never throws on bad input: a malformed hello is the
 * TLS engine's to refuse.
 */
final class ClientHelloAlpn {

    private static final int ALPN_EXTENSION = 16;

    private ClientHelloAlpn() {
    }

    /** The offered names in the client's order; null when there is no (well-formed) ALPN extension. */
    static List<String> offered(ByteBuf hello) {
        int offset = hello.readerIndex();
        int end = hello.writerIndex();
        offset += 2 + 32; // client_version, random
        if (offset + 1 > end) {
            return null;
        }
        offset += 1 + hello.getUnsignedByte(offset); // session_id
        if (offset + 2 > end) {
            return null;
        }
        offset += 2 + hello.getUnsignedShort(offset); // cipher_suites
        if (offset + 1 > end) {
            return null;
        }
        offset += 1 + hello.getUnsignedByte(offset); // compression_methods
        if (offset + 2 > end) {
            return null; // no extensions at all
        }
        int extensionsEnd = offset + 2 + hello.getUnsignedShort(offset);
        offset += 2;
        if (extensionsEnd > end) {
            return null;
        }
        while (offset + 4 <= extensionsEnd) {
            int type = hello.getUnsignedShort(offset);
            int length = hello.getUnsignedShort(offset + 2);
            offset += 4;
            if (offset + length > extensionsEnd) {
                return null;
            }
            if (type == ALPN_EXTENSION) {
                return names(hello, offset, offset + length);
            }
            offset += length;
        }
        return null;
    }

    private static List<String> names(ByteBuf hello, int offset, int end) {
        if (offset + 2 > end || offset + 2 + hello.getUnsignedShort(offset) != end) {
            return null;
        }
        offset += 2;
        List<String> names = new ArrayList<>(4);
        while (offset < end) {
            int length = hello.getUnsignedByte(offset);
            offset += 1;
            if (length == 0 || offset + length > end) {
                return null;
            }
            names.add(hello.toString(offset, length, StandardCharsets.ISO_8859_1));
            offset += length;
        }
        return names.isEmpty() ? null : names;
    }
}
