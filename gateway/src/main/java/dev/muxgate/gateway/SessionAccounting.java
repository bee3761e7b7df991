package dev.muxgate.gateway;

import dev.muxgate.gateway.admin.GatewayMetrics;
import dev.muxgate.gateway.admin.LiveSession;
import dev.muxgate.gateway.admin.LiveSessions;
import dev.muxgate.gateway.admin.ProtocolError;
import dev.muxgate.gateway.frontdoor.ConnectionCaps;
import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.gateway.frontdoor.SessionObserver;
import dev.muxgate.gateway.session.SessionLog;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Where the front door's session events go: metrics, the live-session registry behind
 * {@code /sessions}, the session log, and whoever else asked to hear ended sessions (tests).
 */
final class SessionAccounting implements SessionObserver {

    private final GatewayMetrics metrics;
    private final LiveSessions live;
    private final SessionLog sessionLog;
    private final Consumer<SessionContext> ended;
    private final LongAdder endedSessions = new LongAdder();
    private final LongAdder malformedRequests = new LongAdder();

    SessionAccounting(GatewayMetrics metrics, LiveSessions live, SessionLog sessionLog,
                      Consumer<SessionContext> ended) {
        this.metrics = metrics;
        this.live = live;
        this.sessionLog = sessionLog;
        this.ended = ended;
    }

    @Override
    public void sessionOpened(SessionContext session) {
        metrics.handshakeCompleted(session.resumed());
        metrics.sessionOpened(session.protocol());
        live.register(LiveSession.of(session.number(), session.protocol(), session.clientIp(), session.clientPort(),
                session.startNanos(), session::openStreams));
    }

    @Override
    public void streamOpened(SessionContext session) {
        metrics.streamOpened(session.protocol());
    }

    @Override
    public void streamClosed(SessionContext session, long durationNanos) {
        metrics.streamClosed(session.protocol(), durationNanos);
    }

    @Override
    public void malformedRequest(SessionContext session, String reason) {
        malformedRequests.increment();
        metrics.protocolError(ProtocolError.MALFORMED_REQUEST);
    }

    @Override
    public void connectionError(SessionContext session, Throwable cause) {
        ProtocolError kind = ProtocolError.ofSpdy(cause);
        if (kind != null) {
            metrics.protocolError(kind);
        }
    }

    @Override
    public void goAwaySent(SessionContext session, long errorCode, String reason) {
        ProtocolError kind = ProtocolError.ofGoAway(errorCode, reason);
        if (kind != null) {
            metrics.protocolError(kind);
        }
    }

    @Override
    public void streamStalled(SessionContext session) {
        metrics.protocolError(ProtocolError.STALLED_STREAM);
    }

    @Override
    public void connectionRefused(ConnectionCaps.Refusal reason) {
        metrics.connectionRefused(reason);
    }

    @Override
    public void sessionEnded(SessionContext session) {
        endedSessions.increment();
        if (session.protocol() != null) {
            metrics.sessionEnded(session.protocol());
            live.unregister(session.number());
        } else {
            metrics.handshakeFailed(session.handshakeFailure());
        }
        sessionLog.log(session);
        ended.accept(session);
    }

    long endedSessions() {
        return endedSessions.sum();
    }

    long malformedRequests() {
        return malformedRequests.sum();
    }
}
