package dev.muxgate.spdy.spdy;

/**
 * Why a SPDY session was ended with GOAWAY: fired down the session's pipeline after the GOAWAY is
 * written, so the gateway counts it once (metrics) without knowing a frame type.
 */
public final class SpdySessionException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The kind of session error, as the metrics tell them apart. */
    public enum Kind {
        /** A frame or header block the protocol forbids, a header block that inflates past its bound. */
        PROTOCOL,
        /** Too many stream resets, received and sent, in the flood window. */
        RST_FLOOD,
        /** Too many PING or SETTINGS frames, or control frames queued for a client that does not read. */
        FRAME_FLOOD
    }

    private final Kind kind;

    public SpdySessionException(Kind kind, String reason) {
        super(reason, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
