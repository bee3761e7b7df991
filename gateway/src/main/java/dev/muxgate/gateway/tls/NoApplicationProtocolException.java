package dev.muxgate.gateway.tls;

import java.util.List;
import javax.net.ssl.SSLHandshakeException;

/**
 * A client offered ALPN protocols, none of which the gateway serves: it got the fatal
 * {@code no_application_protocol} alert (RFC 7301 section 3.2) and the connection was closed. Reaches
 * the pipeline as the cause of the {@link io.netty.handler.ssl.SniCompletionEvent}, so the assembler
 * can count it as a handshake failure of its own kind.
 */
public final class NoApplicationProtocolException extends SSLHandshakeException {

    private static final long serialVersionUID = 1L;

    private final List<String> offered;

    public NoApplicationProtocolException(List<String> offered) {
        super("no application protocol in common; the client offered " + offered);
        this.offered = List.copyOf(offered);
    }

    /** The protocol names the client offered. */
    public List<String> offered() {
        return offered;
    }
}
