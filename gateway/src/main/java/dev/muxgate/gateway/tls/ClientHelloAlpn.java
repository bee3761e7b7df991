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
        int offset = ClientHelloExtensions.find(hello, ALPN_EXTENSION);
        return offset < 0 ? null : names(hello, offset, offset + hello.getUnsignedShort(offset - 2));
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
