package dev.muxgate.gateway.admin;

import dev.muxgate.spdy.spdy.SpdySessionException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * A kind of client protocol error, as a small fixed set: the {@code kind} tag of
 * {@code muxgate_protocol_errors_total}. Each specific exception is mapped to one of these once,
 * where it is mapped to the wire.
 */
public enum ProtocolError {
    /** A request refused before it reached the core (bad pseudo-headers, forbidden characters...). */
    MALFORMED_REQUEST("malformed_request"),
    /** Too many stream resets in a window (HTTP/2 rapid reset, CVE-2023-44487). */
    RST_FLOOD("rst_flood"),
    /** Other frame floods Netty's guards stopped: control frames, empty DATA, small CONTINUATIONs. */
    FRAME_FLOOD("frame_flood"),
    /** A connection error answered with GOAWAY (HTTP/2) or a SPDY session error. */
    GOAWAY("goaway"),
    /** A negotiated protocol this build does not serve, or anything not listed above. */
    OTHER("other");

    private final String tag;

    ProtocolError(String tag) {
        this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }

    /** The kind of a SPDY session error (already answered with GOAWAY), or null when {@code cause} is not one. */
    public static ProtocolError ofSpdy(Throwable cause) {
        if (cause instanceof SpdySessionException spdy) {
            return switch (spdy.kind()) {
                case PROTOCOL -> GOAWAY;
                case RST_FLOOD -> RST_FLOOD;
                case FRAME_FLOOD -> FRAME_FLOOD;
            };
        }
        return null;
    }

    /**
     * The kind of an HTTP/2 connection error as Netty's {@code Http2FrameCodec} fires it down the
     * connection's pipeline (inbound errors only; it then sends GOAWAY and closes), or null when
     * {@code cause} is not one (an I/O error, a stream error, anything else). Netty's abuse guards
     * fail with {@code ENHANCE_YOUR_CALM}; the RST limits name "RST frames" in their message.
     */
    public static ProtocolError ofHttp2(Throwable cause) {
        Throwable t = cause;
        for (int depth = 0; t != null && depth < 8; depth++) {
            if (t instanceof Http2Exception.StreamException) {
                return null;
            }
            if (t instanceof Http2Exception h2) {
                if (h2.error() != Http2Error.ENHANCE_YOUR_CALM) {
                    return GOAWAY;
                }
                String message = h2.getMessage();
                return message != null && message.contains("RST frames") ? RST_FLOOD : FRAME_FLOOD;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return null;
    }
}
