package dev.muxgate.gateway.admin;

import dev.muxgate.spdy.spdy.SpdySessionException;
import io.netty.handler.codec.http2.Http2Error;

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
    /** A stream reset because the client kept its window shut, or did not read, too long. */
    STALLED_STREAM("stalled_stream"),
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
     * The kind of a GOAWAY the gateway sent, from its error code and debug data (Netty writes the
     * error's sentence there), or null for NO_ERROR: a graceful end (idle session, shutdown) is no
     * protocol error. Netty's abuse guards send {@code ENHANCE_YOUR_CALM}; the reset limits name
     * "RST frames" in their sentence.
     */
    public static ProtocolError ofGoAway(long errorCode, String reason) {
        if (errorCode == Http2Error.NO_ERROR.code()) {
            return null;
        }
        if (errorCode != Http2Error.ENHANCE_YOUR_CALM.code()) {
            return GOAWAY;
        }
        return reason != null && reason.contains("RST frames") ? RST_FLOOD : FRAME_FLOOD;
    }
}
