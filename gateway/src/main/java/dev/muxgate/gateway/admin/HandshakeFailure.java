package dev.muxgate.gateway.admin;

import dev.muxgate.gateway.tls.NoApplicationProtocolException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.nio.channels.ClosedChannelException;

/**
 * Why a TLS handshake failed, as a small fixed set: the {@code reason} tag of
 * {@code muxgate_tls_handshake_failures_total}. A fixed set keeps the metric's cardinality bounded
 * whatever a client sends.
 */
public enum HandshakeFailure {
    /** The client's ALPN list had no protocol the gateway serves (RFC 7301 section 3.2 alert). */
    NO_APPLICATION_PROTOCOL("no_application_protocol"),
    /** No complete handshake within the configured handshake timeout. */
    TIMEOUT("timeout"),
    /** The peer closed the connection before the handshake completed (scanners, probes). */
    CLOSED("closed"),
    /** The first bytes were not a TLS record, e.g. plain HTTP sent to the TLS port. */
    NOT_TLS("not_tls"),
    /** Anything else: no common version or cipher, a bad certificate alert, an internal error. */
    OTHER("other");

    /** How deep to look through wrapping exceptions (DecoderException around SSLException). */
    private static final int MAX_CAUSE_DEPTH = 8;

    private final String tag;

    HandshakeFailure(String tag) {
        this.tag = tag;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }

    /**
     * The kind of {@code cause}, looking through the exceptions Netty wraps it in; {@link #CLOSED}
     * for null (a connection that ended before any handshake outcome was reported).
     */
    public static HandshakeFailure of(Throwable cause) {
        if (cause == null) {
            return CLOSED;
        }
        Throwable t = cause;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof NoApplicationProtocolException) {
                return NO_APPLICATION_PROTOCOL;
            }
            if (t instanceof SslHandshakeTimeoutException) {
                return TIMEOUT;
            }
            if (t instanceof NotSslRecordException) {
                return NOT_TLS;
            }
            if (t instanceof ClosedChannelException) {
                return CLOSED;
            }
            t = t.getCause() == t ? null : t.getCause();
        }
        return OTHER;
    }
}
