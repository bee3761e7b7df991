package dev.muxgate.gateway.session;

import dev.muxgate.gateway.frontdoor.SessionContext;

/**
 * One ended client session as its session log line tells it, fields in line order (see
 * {@link SessionLogFormat}). A value, so it can cross from the session's event loop to the log
 * writer's thread while the {@link SessionContext} it was read from stays on its loop.
 *
 * @param endEpochMillis when the session ended, epoch milliseconds
 * @param number         the session number (the access log's {@code ccid})
 * @param protocol       the negotiated protocol such as {@code h2}; null when none was
 * @param clientIp       null when not known
 * @param clientPort     0 when not known
 * @param sni            the server name the client asked for; null when it sent none
 * @param tlsVersion     null when the handshake did not complete
 * @param tlsCipher      null when the handshake did not complete
 * @param durationMillis from accept to close
 * @param streams        streams (requests, for HTTP/1.1 one connection) the session opened
 * @param bytesIn        bytes received from the client, TLS records included
 * @param bytesOut       bytes sent to the client, TLS records included
 * @param closeReason    why the session ended, such as {@code closed}; null when not known
 * @param resumed        the TLS handshake resumed an earlier session (a ticket or a cached id)
 */
public record SessionRecord(
        long endEpochMillis,
        long number,
        String protocol,
        String clientIp,
        int clientPort,
        String sni,
        String tlsVersion,
        String tlsCipher,
        long durationMillis,
        long streams,
        long bytesIn,
        long bytesOut,
        String closeReason,
        boolean resumed) {

    /**
     * The session's facts now, marking it ended if nobody has yet. Call on the session's event
     * loop, which is the only thread that touches a {@link SessionContext}.
     */
    public static SessionRecord of(SessionContext session) {
        session.end();
        return new SessionRecord(
                session.endEpochMillis(),
                session.number(),
                session.protocol(),
                session.clientIp(),
                session.clientPort(),
                session.sni(),
                session.tlsVersion(),
                session.tlsCipher(),
                session.durationMillis(),
                session.streams(),
                session.bytesIn(),
                session.bytesOut(),
                session.closeReason(),
                session.resumed());
    }
}
