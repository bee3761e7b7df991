package dev.muxgate.httpcore.balancer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The first handler of a listener that speaks the PROXY protocol: it decides who the client of
 * the connection is before anything else of the pipeline exists. It
 * <ol>
 *   <li>refuses at once a peer that is not a trusted balancer where a header is required;</li>
 *   <li>looks at the first bytes for a header signature ({@link ProxyHeaderSignature});</li>
 *   <li>with one from a trusted peer, hands the bytes to Netty's {@link HAProxyMessageDecoder}
 *       (v1 lines up to 108 bytes, v2 up to the address block plus {@code max-tlv-bytes}, TLVs
 *       parsed by Netty and none of them used here, so unknown ones are skipped) and notes the
 *       carried source as the connection's {@link ClientAddress};</li>
 *   <li>then builds the rest of the pipeline ({@code next}), replays {@code channelActive} to it
 *       and leaves, so the bytes after the header reach the protocol with nothing in between.</li>
 * </ol>
 * A header from an untrusted peer, a malformed or oversized one, none where one is required, or
 * one not complete within the timeout closes the connection, counted by reason in
 * {@link ProxyProtocolStats}. One per connection.
 */
public final class ProxyHeaderGate extends ChannelInboundHandlerAdapter {

    /** The gate's name in the pipeline. */
    public static final String NAME = "proxy-protocol";
    static final String DECODER = "proxy-protocol-decoder";
    static final String READER = "proxy-protocol-reader";

    private enum State { DETECTING, DECODING, DONE }

    private final ProxyProtocolConfig config;
    private final ProxyProtocolStats stats;
    private final long timeoutNanos;
    private final Consumer<Channel> next;
    private ChannelHandlerContext ctx;
    private State state = State.DETECTING;
    private boolean started;
    private boolean trusted;
    /** The first bytes while they are too few to tell (at most 11). */
    private ByteBuf prefix;
    private ScheduledFuture<?> timer;

    /**
     * @param timeoutNanos from accept to the end of the header; the listener's own first deadline
     *                     (TLS handshake timeout, request header timeout), which the handlers built
     *                     after the gate continue from
     * @param next         builds the rest of the pipeline once the client is known
     */
    public ProxyHeaderGate(ProxyProtocolConfig config, ProxyProtocolStats stats, long timeoutNanos,
                           Consumer<Channel> next) {
        if (!config.enabled()) {
            throw new IllegalArgumentException("the PROXY protocol is off for this listener");
        }
        this.config = config;
        this.stats = stats;
        this.timeoutNanos = timeoutNanos;
        this.next = next;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
        if (context.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext context) {
        // Not passed on: the handlers behind the gate do not exist yet; they get it when added.
        start();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        InetAddress peer = ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        trusted = config.trusted().trusts(peer);
        if (!trusted && config.mode() == ProxyProtocolMode.REQUIRED) {
            // Whatever it sends cannot be believed, and it cannot be served without a header.
            refuse(ProxyHeaderRefusal.UNTRUSTED);
            return;
        }
        timer = ctx.executor().schedule(() -> refuse(ProxyHeaderRefusal.TIMEOUT), timeoutNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (state == State.DECODING) {
            context.fireChannelRead(msg);
            return;
        }
        if (state == State.DONE || !(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        prefix = prefix == null ? buf : joined(context, prefix, buf);
        switch (ProxyHeaderSignature.of(prefix)) {
            case NEED_MORE -> { }
            case ABSENT -> {
                if (config.mode() == ProxyProtocolMode.REQUIRED) {
                    refuse(ProxyHeaderRefusal.MISSING);
                    return;
                }
                stats.absent();
                ByteBuf bytes = takePrefix();
                proceed();
                context.fireChannelRead(bytes);
            }
            case PRESENT -> {
                if (!trusted) {
                    refuse(ProxyHeaderRefusal.UNTRUSTED);
                    return;
                }
                state = State.DECODING;
                context.pipeline().addAfter(context.name(), DECODER, new HAProxyMessageDecoder(config.maxTlvBytes()));
                context.pipeline().addAfter(DECODER, READER, new Reader());
                context.fireChannelRead(takePrefix());
            }
        }
    }

    private static ByteBuf joined(ChannelHandlerContext context, ByteBuf first, ByteBuf more) {
        try {
            return context.alloc().buffer(first.readableBytes() + more.readableBytes()).writeBytes(first).writeBytes(more);
        } finally {
            first.release();
            more.release();
        }
    }

    private ByteBuf takePrefix() {
        ByteBuf bytes = prefix;
        prefix = null;
        return bytes;
    }

    /** The header was read (or, where optional, there was none): the client is known. */
    private void accepted(HAProxyMessage header) {
        if (state != State.DECODING) {
            return;
        }
        InetSocketAddress client = carriedClient(header);
        if (client != null) {
            ctx.channel().attr(ClientAddress.ATTRIBUTE).set(client);
        }
        stats.accepted(header.protocolVersion());
        ctx.pipeline().remove(READER);
        // The decoder leaves by itself once this returns, handing on any bytes after the header.
        proceed();
    }

    private void proceed() {
        state = State.DONE;
        cancelTimer();
        Channel ch = ctx.channel();
        next.accept(ch);
        if (ch.isActive()) {
            ctx.fireChannelActive();
        }
        ctx.pipeline().remove(this);
    }

    /**
     * The source a PROXY command carries for TCP over IPv4 or IPv6. LOCAL (a balancer's own health
     * check), UNKNOWN, UDP and UNIX sources name no TCP client: the connection's own peer stands.
     */
    static InetSocketAddress carriedClient(HAProxyMessage header) {
        if (header.command() != HAProxyCommand.PROXY) {
            return null;
        }
        HAProxyProxiedProtocol protocol = header.proxiedProtocol();
        if (protocol != HAProxyProxiedProtocol.TCP4 && protocol != HAProxyProxiedProtocol.TCP6) {
            return null;
        }
        // A literal, checked by the decoder: no name lookup.
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    private void refuse(ProxyHeaderRefusal reason) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        stats.refused(reason);
        cancelTimer();
        releasePrefix();
        ctx.close();
    }

    static ProxyHeaderRefusal classify(Throwable cause) {
        // The decoder's own words for a header past its limit (HAProxyMessageDecoder.failOverLimit).
        if (cause instanceof HAProxyProtocolException && cause.getMessage() != null
                && cause.getMessage().contains("exceeds the allowed maximum")) {
            return ProxyHeaderRefusal.OVERSIZED;
        }
        return ProxyHeaderRefusal.MALFORMED;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (state == State.DONE) {
            context.fireExceptionCaught(cause);
            return;
        }
        // A reset or a read error before the client is known: nothing behind the gate to tell.
        state = State.DONE;
        cancelTimer();
        releasePrefix();
        context.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        cancelTimer();
        releasePrefix();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        cancelTimer();
        releasePrefix();
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void releasePrefix() {
        if (prefix != null) {
            prefix.release();
            prefix = null;
        }
    }

    /** Behind Netty's decoder: takes the header, or its failure. */
    private final class Reader extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            if (msg instanceof HAProxyMessage header) {
                try {
                    accepted(header);
                } finally {
                    header.release();
                }
                return;
            }
            context.fireChannelRead(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
            if (state == State.DECODING) {
                refuse(classify(cause));
                return;
            }
            context.fireExceptionCaught(cause);
        }
    }
}
