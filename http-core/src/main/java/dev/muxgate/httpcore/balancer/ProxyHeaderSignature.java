package dev.muxgate.httpcore.balancer;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;

/**
 * Tells from a connection's first bytes whether it starts with a PROXY protocol header, before any
 * byte is handed on: the v2 binary signature, or v1's {@code PROXY}. Netty's
 * {@link HAProxyMessageDecoder#detectProtocol} decides once 12 bytes are in; before that, a byte
 * that fits neither signature already decides "absent", so a client that sends a short first
 * message (a TLS record starts 0x16, at once) is never kept waiting for bytes it will not send.
 */
final class ProxyHeaderSignature {

    enum Presence { PRESENT, ABSENT, NEED_MORE }

    /** The v2 signature (12 bytes) and the v1 one ("PROXY"), as in the specification. */
    private static final byte[] V2 = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1 = {'P', 'R', 'O', 'X', 'Y'};
    private static final int DECIDES = V2.length;

    private ProxyHeaderSignature() {
    }

    static Presence of(ByteBuf in) {
        int n = in.readableBytes();
        if (n >= DECIDES) {
            return HAProxyMessageDecoder.detectProtocol(in).state() == ProtocolDetectionState.DETECTED
                    ? Presence.PRESENT : Presence.ABSENT;
        }
        int at = in.readerIndex();
        boolean v2 = true;
        boolean v1 = true;
        for (int i = 0; i < n; i++) {
            byte b = in.getByte(at + i);
            v2 &= b == V2[i];
            v1 &= i >= V1.length || b == V1[i];
        }
        return v1 || v2 ? Presence.NEED_MORE : Presence.ABSENT;
    }
}
