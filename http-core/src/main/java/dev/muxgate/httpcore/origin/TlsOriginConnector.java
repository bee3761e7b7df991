package dev.muxgate.httpcore.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;

/**
 * Opens a connection to an {@code https://} origin: a plain connection, then a TLS handshake with
 * the origin's name as SNI and as the name its certificate must carry. The connection is handed on
 * only once the handshake succeeded, so the pool and the transaction never see an unverified one;
 * a failed handshake fails with {@link OriginTlsException}.
 */
final class TlsOriginConnector implements OriginConnector {

    private final OriginConnector plain;
    private final SslContext context;
    private final OriginKey origin;
    private final long handshakeTimeoutMillis;

    TlsOriginConnector(OriginConnector plain, SslContext context, OriginKey origin, Duration handshakeTimeout) {
        this.plain = plain;
        this.context = context;
        this.origin = origin;
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
    }

    @Override
    public Future<Channel> connect(EventLoop loop) {
        Promise<Channel> promise = loop.newPromise();
        plain.connect(loop).addListener((Future<Channel> connected) -> {
            if (!connected.isSuccess()) {
                promise.setFailure(connected.cause());
                return;
            }
            Channel ch = connected.getNow();
            // Host and port make the engine send SNI (for a name, not an address literal) and, with
            // the context's HTTPS endpoint identification, check the certificate against the name.
            SslHandler tls = context.newHandler(ch.alloc(), origin.host(), origin.port());
            tls.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
            ch.pipeline().addFirst("tls", tls);
            // The failure is reported through the handshake future; without this the pipeline
            // would also log it as an unhandled exception.
            ch.pipeline().addLast("tls-wait", new HandshakeWait());
            tls.handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    ch.pipeline().remove("tls-wait");
                    promise.setSuccess(ch);
                } else {
                    ch.close();
                    promise.setFailure(new OriginTlsException(origin, handshake.cause()));
                }
            });
        });
        return promise;
    }

    /** Sits at the end of the pipeline until the handshake is over, taking its failure quietly. */
    private static final class HandshakeWait extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
