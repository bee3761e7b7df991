package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The first handler of a TLS connection: reads the ClientHello, picks the certificate's context by
 * SNI and the client's signature schemes (ECDSA when it can verify it, RSA otherwise) and replaces
 * itself with that context's SslHandler, like Netty's SniHandler, which it is. It
 * also refuses, before any handshake, a client whose ALPN list has no protocol the gateway serves:
 * that client gets the fatal {@code no_application_protocol} alert (RFC 7301 section 3.2) and the
 * connection closes. netty-tcnative cannot send that alert from its ALPN callback, so doing it here
 * gives both providers the same behaviour, and one place where the failure is seen.
 */
final class AlpnCheckingSniHandler extends SniHandler {

    // TLS record: alert(21), legacy_record_version TLS 1.2, length 2, fatal(2), no_application_protocol(120).
    private static final byte[] NO_APPLICATION_PROTOCOL_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x78};

    private final TlsContexts contexts;
    private final List<String> protocols;
    private long startNanos;
    private List<String> offered;
    /** The ClientHello body, readable only while {@link #lookup(ChannelHandlerContext, ByteBuf)} runs. */
    private ByteBuf hello;
    private boolean rejected;

    AlpnCheckingSniHandler(TlsContexts contexts, List<String> protocols, long handshakeTimeoutMillis) {
        super(contexts.sniMapping(), handshakeTimeoutMillis);
        this.contexts = contexts;
        this.protocols = List.copyOf(protocols);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        startNanos = System.nanoTime();
        super.handlerAdded(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (rejected) {
            in.skipBytes(in.readableBytes()); // the alert is on its way and the connection closing
            return;
        }
        super.decode(ctx, in, out);
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) throws Exception {
        offered = clientHello == null ? null : ClientHelloAlpn.offered(clientHello);
        hello = clientHello;
        try {
            return super.lookup(ctx, clientHello); // parses SNI, then calls lookup(ctx, hostname)
        } finally {
            hello = null;
        }
    }

    @Override
    protected Future<SslContext> lookup(ChannelHandlerContext ctx, String hostname) throws Exception {
        if (offered != null && offered.stream().noneMatch(protocols::contains)) {
            rejected = true;
            ctx.writeAndFlush(ctx.alloc().buffer(NO_APPLICATION_PROTOCOL_ALERT.length)
                            .writeBytes(NO_APPLICATION_PROTOCOL_ALERT))
                    .addListener(ChannelFutureListener.CLOSE);
            return ctx.executor().newFailedFuture(new NoApplicationProtocolException(offered));
        }
        // By name, then by the signature schemes the client can verify.
        return ctx.executor().newSucceededFuture(contexts.choose(hostname, hello));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<SslContext> future) throws Exception {
        if (future.cause() instanceof NoApplicationProtocolException) {
            try {
                // Cancels the timeout and fires SniCompletionEvent(hostname, cause): that is the report.
                super.onLookupComplete(ctx, future);
            } catch (DecoderException alreadyReported) {
                // SniHandler turns every failed lookup into an exception; this one was handled above.
            }
            return;
        }
        super.onLookupComplete(ctx, future);
    }

    @Override
    protected SslHandler newSslHandler(SslContext context, ByteBufAllocator allocator) {
        SslHandler sslHandler = super.newSslHandler(context, allocator);
        // One timeout from accept to the end of the handshake, not one per stage.
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
        sslHandler.setHandshakeTimeoutMillis(Math.max(1, handshakeTimeoutMillis - elapsed));
        // With NPN the client chooses, and may name a protocol the server never advertised
        // (openssl s_client -nextprotoneg foo does). Never serve one: close before anyone reads.
        sslHandler.handshakeFuture().addListener(done -> {
            String chosen = sslHandler.applicationProtocol();
            if (done.isSuccess() && chosen != null && !protocols.contains(chosen)) {
                ((Channel) done.getNow()).close();
            }
        });
        return sslHandler;
    }
}
