package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.balancer.ClientAddress;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The proxy state machine of one client connection, network or plugin: takes decoded requests in
 * order, runs one {@link ProxyTransaction} at a time (pipelined requests wait their turn), keeps
 * the connection alive between them, and enforces the header, body and idle time-outs.
 */
final class ClientConnectionHandler extends ChannelInboundHandlerAdapter {

    static final int PAUSE_AWAITING_ORIGIN = 1;
    static final int PAUSE_ORIGIN_UNWRITABLE = 2;
    static final int PAUSE_PIPELINE = 4;
    static final int PAUSE_UPGRADE = 8;

    private final CoreContext core;
    private final LimitsConfig limits;
    private ChannelHandlerContext ctx;

    private ConnectOptions plugin;
    private String clientIp;
    private int clientPort;
    private long connectionId;

    private final ArrayDeque<Object> backlog = new ArrayDeque<>();
    private ProxyTransaction current;
    /** Set once a 101 turned this connection into a byte tunnel; it then takes every read. */
    private Tunnel tunnel;
    private int pauses;
    private boolean discard;
    private boolean skippingRest;
    private Channel originToFlush;
    private int served;

    private long idleSinceNanos;
    private long partialSinceNanos;
    private boolean partialRequest;
    private long lastInboundNanos;
    private long bodySinceNanos;
    private long bodyBytes;
    /** Made on the first arming: the loop is known only once the channel is registered. */
    private LoopTimeouts.Timeout timer;
    private long timerDeadline;

    ClientConnectionHandler(CoreContext core) {
        this.core = core;
        this.limits = core.config.limits();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        plugin = ch.attr(ConnectOptions.ATTRIBUTE).get();
        InetSocketAddress client = null;
        if (plugin != null) {
            client = plugin.clientAddress();
            connectionId = plugin.pluginId() != 0 ? plugin.pluginId() : core.nextConnectionId();
            core.stats.openPluginConnections.increment();
        } else {
            // Behind a balancer, the client its PROXY header named.
            client = ClientAddress.of(ch);
            connectionId = core.nextConnectionId();
        }
        if (client != null) {
            clientIp = client.getAddress() != null ? client.getAddress().getHostAddress() : client.getHostString();
            clientPort = client.getPort();
        }
        core.stats.openConnections.increment();
        idleSinceNanos = ctx.executor().ticker().nanoTime();
        lastInboundNanos = idleSinceNanos;
        armTimer();
        ctx.fireChannelActive();
    }

    boolean secure() {
        return plugin != null && plugin.tlsVersion() != null;
    }

    InetSocketAddress transparentOrigin() {
        return plugin == null ? null : plugin.transparentOrigin();
    }

    /** Bytes arrived from the client, before decoding: the clock of the header and body time-outs. */
    void onInboundBytes() {
        long now = ctx.executor().ticker().nanoTime();
        lastInboundNanos = now;
        if (current == null && !partialRequest && backlog.isEmpty()) {
            partialRequest = true;
            partialSinceNanos = now;
            armTimer();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (tunnel != null) {
            tunnel.fromClient(msg);
            return;
        }
        if (!backlog.isEmpty()) {
            backlog.add(msg);
            return;
        }
        process(msg);
    }

    private void process(Object msg) {
        if (discard) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (skippingRest) {
            if (msg instanceof HttpContent content) {
                skippingRest = !(content instanceof LastHttpContent);
                content.release();
                return;
            }
            skippingRest = false;
        }
        if (current != null && (current.requestComplete() || msg instanceof HttpRequest)) {
            backlog.add(msg);
            pause(PAUSE_PIPELINE);
            return;
        }
        if (msg instanceof FullHttpRequest full && full.decoderResult().isSuccess()) {
            // A whole request in one object, as a plugin that speaks messages may write it: the
            // state machine takes a head and then its body, like everything the decoder hands on.
            // A failed one is the decoder's verdict on bad bytes and goes on whole, to be refused.
            HttpRequest head = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
            LastHttpContent body = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
            process(head);
            process(body);
            return;
        }
        if (msg instanceof HttpRequest request) {
            startTransaction(request);
        } else if (msg instanceof HttpContent content) {
            if (current != null) {
                bodyBytes += content.content().readableBytes();
                current.onRequestContent(content);
            } else {
                content.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void startTransaction(HttpRequest request) {
        partialRequest = false;
        TransactionRecord record = newRecord()
                .method(request.method().name())
                .url(request.uri())
                .protocolVersion(request.protocolVersion().text());
        ProxyTransaction tx = new ProxyTransaction(this, ctx, core, request, record);
        current = tx;
        bodySinceNanos = ctx.executor().ticker().nanoTime();
        bodyBytes = 0;
        core.stats.transactions.increment();
        core.stats.activeTransactions.increment();
        tx.start();
        armTimer();
    }

    private TransactionRecord newRecord() {
        TransactionRecord record = new TransactionRecord()
                .startEpochMillis(System.currentTimeMillis())
                .startNanos(ctx.executor().ticker().nanoTime())
                .clientIp(clientIp)
                .clientPort(clientPort)
                .connectionId(connectionId)
                .requestId(core.nextRequestId());
        if (plugin != null) {
            record.pluginTag(plugin.pluginTag())
                    .pluginId(plugin.pluginId())
                    .streamId(plugin.streamId())
                    .secureProtocol(plugin.secureProtocol())
                    .tlsVersion(plugin.tlsVersion())
                    .tlsCipher(plugin.tlsCipher());
        }
        return record;
    }

    /** Something arrived after the current request: pipelined, or sent before an upgrade's answer. */
    boolean hasPipelined() {
        return !backlog.isEmpty();
    }

    /**
     * The current transaction's origin switched protocols: from now on this connection is bytes.
     * The HTTP codec leaves (what it had read but not decoded goes to the tunnel), and no time-out
     * of the HTTP state machine applies any more: the tunnel keeps its own idle clock.
     */
    void startTunnel(Tunnel newTunnel) {
        tunnel = newTunnel;
        pauses = 0;
        cancelTimer();
        if (ctx.pipeline().get("http") != null) {
            ctx.pipeline().remove("http");
        }
    }

    /** Called by the transaction once its log line is out. */
    void onTransactionDone(ProxyTransaction tx, boolean close) {
        if (current != tx) {
            return;
        }
        current = null;
        core.stats.activeTransactions.decrement();
        served++;
        idleSinceNanos = ctx.executor().ticker().nanoTime();
        pauses &= ~(PAUSE_AWAITING_ORIGIN | PAUSE_ORIGIN_UNWRITABLE | PAUSE_UPGRADE);
        if (close) {
            discard = true;
            releaseBacklog();
            return;
        }
        if (!tx.requestComplete()) {
            skippingRest = true;
        }
        while (!backlog.isEmpty() && !discard && !(current != null && current.requestComplete())) {
            process(backlog.poll());
        }
        if (backlog.isEmpty()) {
            pauses &= ~PAUSE_PIPELINE;
        }
        // Always re-applied: a transaction that ended while waiting for an origin (refused, busy)
        // cleared its pause bits above, and reading must restart for the next request.
        applyAutoRead();
        if (pauses == 0) {
            lastInboundNanos = System.nanoTime();
        }
        armTimer();
    }

    void pause(int reason) {
        pauses |= reason;
        applyAutoRead();
    }

    void resume(int reason) {
        if ((pauses & reason) != 0) {
            pauses &= ~reason;
            applyAutoRead();
            if (pauses == 0) {
                lastInboundNanos = ctx.executor().ticker().nanoTime();
                // The client could not send while we held it back: its rate is measured afresh.
                bodySinceNanos = lastInboundNanos;
                bodyBytes = 0;
                armTimer();
            }
        }
    }

    private void applyAutoRead() {
        if (tunnel != null) {
            return;
        }
        boolean read = pauses == 0 && !discard;
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    /** Flushes request body written to the origin once the current read batch is done. */
    void originNeedsFlush(Channel origin) {
        if (originToFlush != null && originToFlush != origin) {
            originToFlush.flush();
        }
        originToFlush = origin;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (tunnel != null) {
            tunnel.clientReadComplete();
            ctx.flush();
            return;
        }
        Channel toFlush = originToFlush;
        if (toFlush != null) {
            originToFlush = null;
            toFlush.flush();
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (tunnel != null) {
            tunnel.clientWritabilityChanged(ctx.channel().isWritable());
        } else if (current != null) {
            current.onClientWritabilityChanged(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        discard = true;
        cancelTimer();
        if (tunnel != null) {
            tunnel.clientClosed();
        } else if (current != null) {
            current.onClientClosed();
        }
        releaseBacklog();
        core.stats.openConnections.decrement();
        if (plugin != null) {
            core.stats.openPluginConnections.decrement();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof IllegalStateException) {
            // HttpServerCodec's pipeline-depth guard: it drops the excess and closes after the
            // responses it owes, which is what we want too.
            discard = true;
            releaseBacklog();
            return;
        }
        ctx.close();
    }

    private void releaseBacklog() {
        for (Object msg; (msg = backlog.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
    }

    // ---- time-outs: one timer per connection, re-armed lazily when its deadline moves later ----

    private long currentDeadline() {
        if (discard) {
            return Long.MAX_VALUE;
        }
        if (current == null) {
            if (partialRequest) {
                return partialSinceNanos + limits.headerTimeout().toNanos();
            }
            long wait = served == 0 ? limits.headerTimeout().toNanos() : limits.idleTimeout().toNanos();
            return idleSinceNanos + wait;
        }
        if (!current.requestComplete() && pauses == 0) {
            return Math.min(lastInboundNanos + limits.bodyTimeout().toNanos(), bodyRateDeadline());
        }
        return Long.MAX_VALUE;
    }

    /**
     * When the body, at the bytes it has sent so far, falls under the minimum rate: after the body
     * time-out as a grace, each byte buys 1/rate of a second more. A client trickling a byte at a
     * time never pauses long enough for the body time-out, but falls behind this.
     */
    private long bodyRateDeadline() {
        long rate = limits.bodyMinRate();
        if (rate == 0) {
            return Long.MAX_VALUE;
        }
        long earned = bodyBytes >= Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE / 4
                : bodyBytes * 1_000_000_000L / rate;
        return bodySinceNanos + limits.bodyTimeout().toNanos() + earned;
    }

    private void armTimer() {
        if (tunnel != null) {
            return;
        }
        long deadline = currentDeadline();
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (timer == null) {
            timer = core.timeouts(ctx.executor()).newTimeout(this::onTimer);
        } else if (timer.isArmed() && timerDeadline <= deadline) {
            return;
        }
        timerDeadline = deadline;
        timer.arm(deadline);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.disarm();
        }
    }

    private void onTimer() {
        if (!ctx.channel().isActive()) {
            return;
        }
        long deadline = currentDeadline();
        if (deadline == Long.MAX_VALUE) {
            return;
        }
        if (ctx.executor().ticker().nanoTime() < deadline) {
            armTimer();
            return;
        }
        if (current != null) {
            current.onBodyTimeout();
        } else if (partialRequest) {
            requestHeadTimedOut();
        } else {
            // Idle keep-alive (or a connection that never spoke): nothing to answer, just go.
            discard = true;
            ctx.close();
        }
    }

    /** A request head that did not arrive whole in time: 408, logged, and close. */
    private void requestHeadTimedOut() {
        discard = true;
        TransactionRecord record = newRecord()
                .proxyStatus(HttpResponseStatus.REQUEST_TIMEOUT.code())
                .result(TransactionRecord.Result.ERR_CLIENT_READ_ERROR)
                .startNanos(partialSinceNanos)
                .endNanos(ctx.executor().ticker().nanoTime());
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.REQUEST_TIMEOUT);
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        core.accessLog.log(record);
    }
}
