package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;

/** Finds an extension in a TLS ClientHello body (from {@code client_version} on), bounds-checked. */
final class ClientHelloExtensions {

    private ClientHelloExtensions() {
    }

    /**
     * The offset of extension {@code type}'s data (its two-byte length just before it), or -1 when
     * the hello has no such extension or is malformed before it.
     */
    static int find(ByteBuf hello, int type) {
        int offset = hello.readerIndex();
        int end = hello.writerIndex();
        offset += 2 + 32; // client_version, random
        if (offset + 1 > end) {
            return -1;
        }
        offset += 1 + hello.getUnsignedByte(offset); // session_id
        if (offset + 2 > end) {
            return -1;
        }
        offset += 2 + hello.getUnsignedShort(offset); // cipher_suites
        if (offset + 1 > end) {
            return -1;
        }
        offset += 1 + hello.getUnsignedByte(offset); // compression_methods
        if (offset + 2 > end) {
            return -1; // no extensions at all
        }
        int extensionsEnd = offset + 2 + hello.getUnsignedShort(offset);
        offset += 2;
        if (extensionsEnd > end) {
            return -1;
        }
        while (offset + 4 <= extensionsEnd) {
            int found = hello.getUnsignedShort(offset);
            int length = hello.getUnsignedShort(offset + 2);
            offset += 4;
            if (offset + length > extensionsEnd) {
                return -1;
            }
            if (found == type) {
                return offset;
            }
            offset += length;
        }
        return -1;
    }
}
