package dev.muxgate.gateway.tls;

import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.internal.tcnative.SSL;
import javax.net.ssl.SSLEngine;

/** Tells whether a completed handshake resumed an earlier session, for the logs and metrics. */
public final class TlsResumption {

    private TlsResumption() {
    }

    /**
     * True when {@code engine}'s handshake resumed a session (a ticket, or a cached session id).
     * Known for the OpenSSL provider; the JDK's engine does not say, so it reports false. Call on
     * the connection's event loop once the handshake is done.
     */
    public static boolean resumed(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
            long ssl = openSsl.sslPointer();
            return ssl != 0 && SSL.isSessionReused(ssl);
        }
        return false;
    }
}
