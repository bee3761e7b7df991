package dev.muxgate.gateway.tls;

import io.netty.channel.ChannelHandler;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The TLS front end as the listener's pipeline uses it: the provider, the certificates and their
 * contexts, and a fresh first handler per accepted connection. That handler picks the certificate
 * by SNI, refuses clients with no ALPN protocol in common, and becomes an {@code SslHandler} whose
 * handshake must finish within the configured timeout (counted from accept). After the handshake,
 * {@code SslHandler.applicationProtocol()} is the ALPN or NPN choice, or null when the client used
 * neither (then it is an HTTP/1.1 client). An NPN client may pick a name the server did not
 * advertise; such a connection is closed as its handshake completes, so the protocol dispatcher
 * sees its success event on a closed channel and should ignore it.
 */
public final class TlsFrontEnd implements AutoCloseable {

    private final TlsConfig config;
    private final TlsContexts contexts;
    private final SessionTicketKeys ticketKeys;

    private TlsFrontEnd(TlsConfig config, TlsContexts contexts) {
        this.config = config;
        this.contexts = contexts;
        try {
            this.ticketKeys = SessionTicketKeys.start(config.sessionTickets(), contexts,
                    note -> System.out.println("muxgate: " + note));
        } catch (RuntimeException e) {
            contexts.close();
            throw e;
        }
    }

    /**
     * Chooses the provider, reads or generates the certificates and builds their contexts.
     * Blocking file I/O: start-up only. Throws {@link TlsSetupException} with a sentence for the operator.
     */
    public static TlsFrontEnd open(TlsConfig config, Clock clock) {
        TlsProvider provider = TlsProvider.choose(config.provider());
        return new TlsFrontEnd(config, TlsContexts.load(config, provider, clock));
    }

    /** A front end over contexts built elsewhere; it takes them over (its close releases them). */
    public static TlsFrontEnd of(TlsConfig config, TlsContexts contexts) {
        return new TlsFrontEnd(Objects.requireNonNull(config, "config"), Objects.requireNonNull(contexts, "contexts"));
    }

    /**
     * The first handler for a new connection (one per channel, not sharable). It fires a
     * {@link io.netty.handler.ssl.SniCompletionEvent} (its cause a {@link NoApplicationProtocolException}
     * when the client was refused for ALPN), then the SslHandler it becomes fires the
     * {@link io.netty.handler.ssl.SslHandshakeCompletionEvent}.
     */
    public ChannelHandler newSniHandler() {
        return newSniHandler(config.handshakeTimeout().toMillis());
    }

    /** Like {@link #newSniHandler()} with {@code timeoutMillis} left of the handshake timeout (a PROXY header took the rest). */
    public ChannelHandler newSniHandler(long timeoutMillis) {
        return new AlpnCheckingSniHandler(contexts, config.protocols(), Math.max(1, timeoutMillis));
    }

    public TlsConfig config() {
        return config;
    }

    public TlsContexts contexts() {
        return contexts;
    }

    /** Lines for the start-up output: provider, then each certificate, then the ticket keys. */
    public List<String> describe() {
        List<String> lines = new java.util.ArrayList<>(contexts.describe());
        lines.add(ticketKeys.describe());
        return lines;
    }

    /** The session ticket keys, for the metrics. */
    public SessionTicketKeys ticketKeys() {
        return ticketKeys;
    }

    /** Stops the key rotation and releases the contexts. */
    @Override
    public void close() {
        ticketKeys.close();
        contexts.close();
    }
}
