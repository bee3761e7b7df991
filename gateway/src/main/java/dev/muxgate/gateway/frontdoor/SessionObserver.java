package dev.muxgate.gateway.frontdoor;

import io.netty.channel.Channel;

/**
 * Hears the life of every client session: the front door calls it on the session's event loop,
 * so implementations (metrics, live-session registry, session log) must be cheap and non-blocking.
 */
public interface SessionObserver {

    /** The handshake is done and {@code session.protocol()} is known. */
    void sessionOpened(SessionContext session);

    /** A stream (an h2 stream channel, or the whole connection for http/1.1) began. */
    void streamOpened(SessionContext session, Channel stream);

    /** A request was refused as malformed, for {@code reason}. */
    void malformedRequest(SessionContext session, String reason);

    /**
     * The session's connection failed: an HTTP/2 connection error (after which Netty's codec has
     * sent GOAWAY), a flood cut off by the abuse guards, or an I/O error.
     */
    void connectionError(SessionContext session, Throwable cause);

    /** The connection closed; {@code session.protocol()} is null if no session was ever opened. */
    void sessionEnded(SessionContext session);
}
