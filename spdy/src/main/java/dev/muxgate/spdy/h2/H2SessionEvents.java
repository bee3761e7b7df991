package dev.muxgate.spdy.h2;

/**
 * What an HTTP/2 session tells the gateway about abuse and errors, on the session's event loop
 * (implementations must be cheap and non-blocking): requests refused as malformed, and every
 * GOAWAY the session sends, whichever guard decided it, inbound or outbound.
 */
public interface H2SessionEvents {

    /** A request was refused with RST_STREAM before it reached the core, for {@code reason}. */
    void malformedRequest(String reason);

    /**
     * The session sent GOAWAY with {@code errorCode} (RFC 9113 section 7); {@code reason} is its
     * debug data, Netty's sentence for the error, or empty.
     */
    void goAwaySent(long errorCode, String reason);

    /** A stream was reset because its response could not be sent for the stalled-stream time-out. */
    void streamStalled();
}
