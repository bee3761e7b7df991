package dev.muxgate.gateway.frontdoor;

import dev.muxgate.gateway.session.SessionNumbers;
import dev.muxgate.gateway.session.SessionTrafficMeter;
import dev.muxgate.gateway.tls.TlsFrontEnd;
import dev.muxgate.httpcore.balancer.ProxyHeaderGate;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolStats;
import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.spdy.h2.H2SessionInitializer;
import dev.muxgate.spdy.spdy.SpdySessionInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.ssl.SniCompletionEvent;
import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every connection accepted on the TLS listener: (behind a balancer, its PROXY
 * protocol header first, which names the client) a session number, then SNI and
 * the TLS handshake (with ALPN/NPN), then the protocol dispatch. When the connection ends, the
 * session is reported to the {@link SessionObserver} (session log, metrics).
 */
public final class FrontDoorInitializer extends ChannelInitializer<Channel> {

    private final SessionNumbers numbers;
    private final TlsFrontEnd tls;
    private final H2SessionInitializer h2;
    private final SpdySessionInitializer spdy;
    private final HttpConnector connector;
    private final SocketAddress coreAddress;
    private final SessionObserver observer;
    private final ChannelGroup liveSessions;
    private final ConnectionCaps caps;
    private final ProxyProtocolStats proxyProtocolStats;

    public FrontDoorInitializer(SessionNumbers numbers, TlsFrontEnd tls, H2SessionInitializer h2,
                                SpdySessionInitializer spdy, HttpConnector connector, SocketAddress coreAddress,
                                SessionObserver observer, ChannelGroup liveSessions, ConnectionCaps caps,
                                ProxyProtocolStats proxyProtocolStats) {
        this.proxyProtocolStats = proxyProtocolStats;
        this.caps = caps;
        this.liveSessions = liveSessions;
        this.observer = observer;
        this.numbers = numbers;
        this.tls = tls;
        this.h2 = h2;
        this.spdy = spdy;
        this.connector = connector;
        this.coreAddress = coreAddress;
    }

    @Override
    protected void initChannel(Channel ch) {
        ProxyProtocolConfig proxyProtocol = tls.config().proxyProtocol();
        long acceptedNanos = System.nanoTime();
        if (proxyProtocol.enabled()) {
            // Behind a balancer the client is known only from its header: the caps, the session and
            // TLS wait for it, and the handshake timeout counts from accept, header included.
            ch.pipeline().addLast(ProxyHeaderGate.NAME, new ProxyHeaderGate(proxyProtocol, proxyProtocolStats,
                    tls.config().handshakeTimeout().toNanos(), c -> admit(c, acceptedNanos)));
        } else {
            admit(ch, acceptedNanos);
        }
    }

    private void admit(Channel ch, long acceptedNanos) {
        ConnectionCaps.Refusal refusal = caps.admit(ch);
        if (refusal != null) {
            // Before any TLS work: a refused connection costs an accept and a close.
            observer.connectionRefused(refusal);
            ch.close();
            return;
        }
        SessionContext session = new SessionContext(numbers.next());
        ch.attr(SessionContext.ATTRIBUTE).set(session);
        liveSessions.add(ch);
        // First, so it counts the raw bytes both ways and stamps the end before the watcher reports.
        ch.pipeline().addLast(SessionTrafficMeter.NAME, new SessionTrafficMeter(session));
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - acceptedNanos);
        ch.pipeline().addLast("tls", tls.newSniHandler(tls.config().handshakeTimeout().toMillis() - elapsedMillis));
        // Behind TLS, so many streams' responses in one event-loop turn become one run of TLS
        // records and one write instead of a record and a syscall per stream flush.
        ch.pipeline().addLast("flush", new FlushConsolidationHandler(
                FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        ch.pipeline().addLast("session", new SessionWatcher(session, observer));
        ch.pipeline().addLast("dispatch", new ProtocolDispatch(session, h2, spdy, connector, coreAddress, observer));
    }

    /** Notes the SNI name and reports the session when its connection closes. */
    private static final class SessionWatcher extends ChannelInboundHandlerAdapter {
        private final SessionContext session;
        private final SessionObserver observer;

        SessionWatcher(SessionContext session, SessionObserver observer) {
            this.session = session;
            this.observer = observer;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SniCompletionEvent sni) {
                session.sni(sni.hostname());
                if (!sni.isSuccess()) {
                    session.handshakeFailed(sni.cause());
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            session.closeReason("closed");
            observer.sessionEnded(session);
            ctx.fireChannelInactive();
        }
    }
}
