package dev.muxgate.gateway.frontdoor;

/**
 * Hears the life of every client session: the front door calls it on the session's event loop,
 * so implementations (metrics, live-session registry, session log) must be cheap and non-blocking.
 */
public interface SessionObserver {

    /** The handshake is done and {@code session.protocol()} is known. */
    void sessionOpened(SessionContext session);

    /** A stream (an h2 or SPDY stream channel, or the whole connection for http/1.1) began. */
    void streamOpened(SessionContext session);

    /** A stream counted by {@link #streamOpened} closed, {@code durationNanos} after it began. */
    void streamClosed(SessionContext session, long durationNanos);

    /** A request was refused as malformed, for {@code reason}. */
    void malformedRequest(SessionContext session, String reason);

    /**
     * The session sent GOAWAY with {@code errorCode}: a connection error, a flood cut off by the
     * abuse guards (inbound or outbound), or a graceful end (NO_ERROR); {@code reason} is its
     * debug data.
     */
    void goAwaySent(SessionContext session, long errorCode, String reason);

    /** An HTTP/2 stream was reset because its response could not be sent for the stalled-stream time-out. */
    void streamStalled(SessionContext session);

    /** A SPDY session error (already answered with GOAWAY), or another error that ends a session. */
    void connectionError(SessionContext session, Throwable cause);

    /** A connection was closed as it was accepted, past a connection cap; it never became a session. */
    void connectionRefused(ConnectionCaps.Refusal reason);

    /** The connection closed; {@code session.protocol()} is null if no session was ever opened. */
    void sessionEnded(SessionContext session);
}
