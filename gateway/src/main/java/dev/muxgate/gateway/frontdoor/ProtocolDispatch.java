package dev.muxgate.gateway.frontdoor;

import dev.muxgate.gateway.tls.TlsResumption;
import dev.muxgate.httpcore.balancer.ClientAddress;
import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.spdy.bridge.SessionIdentity;
import dev.muxgate.spdy.bridge.StreamBridge;
import dev.muxgate.spdy.h2.H2SessionEvents;
import dev.muxgate.spdy.h2.H2SessionInitializer;
import dev.muxgate.spdy.spdy.SpdySessionInitializer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import javax.net.ssl.SSLSession;

/**
 * After the TLS handshake, turns the connection into a session of the negotiated protocol: an
 * HTTP/2 or SPDY session whose streams each become a plugin connection, or for {@code http/1.1} (and
 * clients that negotiated nothing) one plugin connection carrying the bytes as they are.
 */
final class ProtocolDispatch extends ApplicationProtocolNegotiationHandler {

    private final SessionContext session;
    private final H2SessionInitializer h2;
    private final SpdySessionInitializer spdy;
    private final HttpConnector connector;
    private final SocketAddress coreAddress;
    private final SessionObserver observer;

    ProtocolDispatch(SessionContext session, H2SessionInitializer h2, SpdySessionInitializer spdy, HttpConnector connector,
                     SocketAddress coreAddress, SessionObserver observer) {
        super(ApplicationProtocolNames.HTTP_1_1);
        this.session = session;
        this.observer = observer;
        this.h2 = h2;
        this.spdy = spdy;
        this.connector = connector;
        this.coreAddress = coreAddress;
    }

    @Override
    protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
        if (!ctx.channel().isActive()) {
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        SSLSession tls = ssl.engine().getSession();
        InetSocketAddress client = ClientAddress.of(ctx.channel());
        SessionIdentity identity = new SessionIdentity(protocol, session.number(), client,
                tls.getProtocol(), tls.getCipherSuite(), coreAddress);
        session.negotiated(protocol, tls.getProtocol(), tls.getCipherSuite(), TlsResumption.resumed(ssl.engine()));
        switch (protocol) {
            case ApplicationProtocolNames.HTTP_2 -> {
                observer.sessionOpened(session);
                h2.configure(ctx.pipeline(), identity, this::streamOpened, new H2SessionEvents() {
                    @Override
                    public void malformedRequest(String reason) {
                        observer.malformedRequest(session, reason);
                    }

                    @Override
                    public void goAwaySent(long errorCode, String reason) {
                        observer.goAwaySent(session, errorCode, reason);
                    }

                    @Override
                    public void streamStalled() {
                        observer.streamStalled(session);
                    }
                });
                ctx.pipeline().addLast("h2-errors", new ConnectionErrorWatcher(session, observer));
            }
            case SpdySessionInitializer.SPDY_3_1, SpdySessionInitializer.SPDY_3 -> {
                observer.sessionOpened(session);
                spdy.configure(ctx.pipeline(), identity, this::streamOpened, reason -> observer.malformedRequest(session, reason));
                ctx.pipeline().addLast("spdy-errors", new ConnectionErrorWatcher(session, observer));
            }
            case ApplicationProtocolNames.HTTP_1_1 -> {
                observer.sessionOpened(session);
                streamOpened(ctx.channel());
                ctx.pipeline().addLast("bridge", new StreamBridge(connector, identity.forStream(0)));
            }
            default -> {
                session.closeReason("protocol " + protocol + " is not served");
                ctx.close();
            }
        }
    }

    /** One close listener per stream for the session's count and the observer, since streams are many. */
    private void streamOpened(Channel stream) {
        long startNanos = System.nanoTime();
        session.streamOpened();
        observer.streamOpened(session);
        stream.closeFuture().addListener(f -> {
            session.streamClosed();
            observer.streamClosed(session, System.nanoTime() - startNanos);
        });
    }

    @Override
    protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
        session.handshakeFailed(cause);
        ctx.close();
    }
}
