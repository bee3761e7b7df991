package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import dev.muxgate.httpcore.origin.OriginBusyException;
import dev.muxgate.httpcore.origin.OriginConnection;
import dev.muxgate.httpcore.origin.OriginKey;
import dev.muxgate.httpcore.origin.OriginListener;
import dev.muxgate.httpcore.origin.OriginTlsException;
import dev.muxgate.httpcore.origin.RemapTarget;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response, from the decoded request head to the last byte back to the
 * client: checks, remap, an origin connection from the pool, the request body streamed out, the
 * response streamed back, each paced by the other side's writability, and one access-log line.
 * Lives on the client connection's event loop; so do its origin connections.
 */
final class ProxyTransaction implements OriginListener {

    private final ClientConnectionHandler connection;
    private final ChannelHandlerContext ctx;
    private final CoreContext core;
    private final HttpRequest request;
    private final TransactionRecord record;
    private final boolean clientKeepAlive;
    private final boolean headRequest;

    private HttpRequest originRequest;
    private RemapTarget target;
    private OriginConnection origin;
    private Future<OriginConnection> acquiring;
    private int attempts;
    private final ArrayDeque<HttpContent> pendingBody = new ArrayDeque<>(2);

    private long requestBodyBytes;
    private boolean requestComplete;
    private boolean sentBodyToOrigin;
    private boolean expectContinue;
    private boolean responseStarted;
    private boolean responseComplete;
    private boolean responseChunkedToClient;
    private boolean closeAfter;
    private boolean originKeepAlive;
    private boolean informational;
    private boolean forwardedInformational;
    private boolean done;
    /** A WebSocket opening handshake passed on to the origin: only then may a 101 open a tunnel. */
    private boolean upgrade;
    private boolean tunnelled;

    private long originActivityNanos;
    private long originAskedNanos;
    /** The origin's answer time-out, made when first armed. */
    private LoopTimeouts.Timeout originTimer;

    ProxyTransaction(ClientConnectionHandler connection, ChannelHandlerContext ctx, CoreContext core,
                     HttpRequest request, TransactionRecord record) {
        this.connection = connection;
        this.ctx = ctx;
        this.core = core;
        this.request = request;
        this.record = record;
        this.clientKeepAlive = HttpUtil.isKeepAlive(request);
        this.headRequest = HttpMethod.HEAD.equals(request.method());
        this.closeAfter = !clientKeepAlive;
    }

    boolean requestComplete() {
        return requestComplete;
    }

    boolean responseStarted() {
        return responseStarted;
    }

    boolean isDone() {
        return done;
    }

    /** Checks and routes the request head; the body follows through {@link #onRequestContent}. */
    void start() {
        RequestCheck.Checked checked;
        try {
            checked = core.requestCheck.check(request);
        } catch (ProxyException e) {
            requestComplete = request.decoderResult().isFailure();
            respondLocally(e.status(), e.result(), e.getMessage(), true);
            return;
        }
        record.url(scheme() + "://" + (checked.hostHeader().isEmpty() ? "-" : checked.hostHeader())
                + checked.originForm());
        boolean hasBody = checked.chunked() || checked.contentLength() > 0;
        // A handshake with a body is not one: its Upgrade is dropped with the other hop-by-hop fields.
        upgrade = !hasBody && HeaderRules.isWebSocketUpgrade(request);

        var transparent = connection.transparentOrigin();
        if (transparent != null) {
            target = new RemapTarget(OriginKey.of(transparent.getHostString(), transparent.getPort()),
                    checked.originForm(), null);
        } else {
            target = core.remapper.map(checked.hostName(), checked.originForm());
        }
        if (target == null) {
            respondLocally(HttpResponseStatus.NOT_FOUND, Result.ERR_NO_REMAP,
                    "no remap rule matches " + checked.hostName() + checked.originForm(), hasBody);
            return;
        }
        record.serverHost(target.origin().toString());
        originRequest = buildOriginRequest(checked);
        expectContinue = HttpUtil.is100ContinueExpected(request) && hasBody;
        acquireOrigin();
    }

    private AsciiString scheme() {
        return connection.secure() ? HTTPS : HTTP;
    }

    private HttpRequest buildOriginRequest(RequestCheck.Checked checked) {
        HttpHeaders headers = request.headers().copy();
        HeaderRules.removeHopByHop(headers);
        headers.remove(HttpHeaderNames.EXPECT);
        headers.remove(HttpHeaderNames.HOST);
        if (upgrade) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        headers.set(HttpHeaderNames.HOST, target.origin().hostHeader());
        String clientIp = record.clientIp();
        if (clientIp != null) {
            String xff = headers.get(X_FORWARDED_FOR);
            headers.set(X_FORWARDED_FOR, xff == null ? clientIp : xff + ", " + clientIp);
            String forwardedFor = clientIp.indexOf(':') >= 0 ? "\"[" + clientIp + "]\"" : clientIp;
            String forwarded = "for=" + forwardedFor + ";proto=" + scheme()
                    + (checked.hostHeader().isEmpty() ? "" : ";host=\"" + checked.hostHeader() + '"');
            String prior = headers.get(FORWARDED);
            headers.set(FORWARDED, prior == null ? forwarded : prior + ", " + forwarded);
        }
        if (!checked.hostHeader().isEmpty()) {
            headers.set(X_FORWARDED_HOST, checked.hostHeader());
        }
        headers.set(X_FORWARDED_PROTO, scheme());
        headers.add(HttpHeaderNames.VIA, viaValue(request.protocolVersion()));
        if (checked.chunked()) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), target.uri(), headers);
    }

    // Names and values as AsciiString constants: hashed once, and copied as bytes by the encoder
    // where a String is written out a char at a time.
    private static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
    private static final AsciiString FORWARDED = AsciiString.cached("forwarded");
    private static final AsciiString X_FORWARDED_HOST = AsciiString.cached("x-forwarded-host");
    private static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString HTTPS = AsciiString.cached("https");
    private static final AsciiString VIA_1_0 = AsciiString.cached("1.0 " + CoreContext.VIA_NAME);
    private static final AsciiString VIA_1_1 = AsciiString.cached("1.1 " + CoreContext.VIA_NAME);

    private static AsciiString viaValue(HttpVersion version) {
        return version.minorVersion() == 0 ? VIA_1_0 : VIA_1_1;
    }

    private void acquireOrigin() {
        if (attempts == 0) {
            originAskedNanos = ctx.executor().ticker().nanoTime();
        }
        attempts++;
        connection.pause(ClientConnectionHandler.PAUSE_AWAITING_ORIGIN);
        Future<OriginConnection> f = core.origins.pool(ctx.channel().eventLoop(), target.origin()).acquire();
        acquiring = f;
        if (f.isDone()) {
            onAcquired(f);
        } else {
            f.addListener(this::onAcquired);
            // A request queued behind a full origin waits no longer than a connect may take;
            // failing the promise also takes it out of the pool's queue.
            OriginKey origin = target.origin();
            ctx.executor().schedule(() -> {
                if (f instanceof io.netty.util.concurrent.Promise<OriginConnection> waiting && !f.isDone()) {
                    waiting.tryFailure(new OriginBusyException(origin, -1));
                }
            }, core.config.origins().connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void onAcquired(Future<? super OriginConnection> f) {
        boolean wanted = acquiring == f;
        if (wanted) {
            acquiring = null;
        }
        if (!f.isSuccess()) {
            if (wanted && !done) {
                failBeforeResponse(f.cause(), true);
            }
            return;
        }
        OriginConnection conn = (OriginConnection) f.getNow();
        if (!wanted || done) {
            // Lent after this transaction ended: untouched, so fit for the next borrower.
            conn.release(true);
            return;
        }
        origin = conn;
        conn.lendTo(this);
        Channel out = conn.channel();
        out.config().setAutoRead(ctx.channel().isWritable());
        out.write(originRequest, out.voidPromise());
        for (HttpContent piece; (piece = pendingBody.poll()) != null; ) {
            sentBodyToOrigin |= piece.content().isReadable();
            out.write(piece, out.voidPromise());
        }
        out.flush();
        if (expectContinue && !requestComplete) {
            expectContinue = false;
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                    ctx.voidPromise());
        }
        startOriginTimer();
        connection.resume(ClientConnectionHandler.PAUSE_AWAITING_ORIGIN);
        if (!out.isWritable()) {
            connection.pause(ClientConnectionHandler.PAUSE_ORIGIN_UNWRITABLE);
        }
    }

    /** A piece of the request body from the client; this transaction owns it. */
    void onRequestContent(HttpContent content) {
        if (done || requestComplete) {
            content.release();
            return;
        }
        if (content.decoderResult().isFailure()) {
            content.release();
            requestComplete = true;
            closeAfter = true;
            if (!responseStarted) {
                respondLocally(HttpResponseStatus.BAD_REQUEST, Result.ERR_INVALID_REQ, "malformed request body", true);
            } else {
                abort(Result.ERR_INVALID_REQ);
            }
            return;
        }
        requestBodyBytes += content.content().readableBytes();
        record.requestBodyBytes(requestBodyBytes);
        if (requestBodyBytes > core.config.limits().requestBodyBytes()) {
            content.release();
            requestComplete = true;
            if (!responseStarted) {
                respondLocally(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Result.ERR_INVALID_REQ,
                        "request body larger than " + core.config.limits().requestBodyBytes() + " bytes", true);
            } else {
                abort(Result.ERR_INVALID_REQ);
            }
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (last) {
            requestComplete = true;
            if (upgrade) {
                // Nothing the client sends before the answer can be read as HTTP or as tunnel
                // bytes with certainty (RFC 6455 4.1: it must wait), so nothing more is read until
                // then. Not before the end of the request: a plugin's messages arrive one read each.
                connection.pause(ClientConnectionHandler.PAUSE_UPGRADE);
            }
        }
        if (origin == null) {
            if (target == null) {
                content.release();
            } else {
                pendingBody.add(content);
            }
        } else {
            Channel out = origin.channel();
            sentBodyToOrigin |= content.content().isReadable();
            // The response time-out runs from the last thing sent, not from the request head: a
            // long upload is progress, not an origin that fails to answer. The loop's ticker, as
            // everywhere here: System.nanoTime() has another origin, and mixing the two made the
            // time-out never fire once a body piece followed the head (every h2 request's end).
            originActivityNanos = ctx.executor().ticker().nanoTime();
            out.write(content, out.voidPromise());
            connection.originNeedsFlush(out);
            if (!out.isWritable()) {
                connection.pause(ClientConnectionHandler.PAUSE_ORIGIN_UNWRITABLE);
            }
        }
        if (last && responseComplete) {
            finish();
        }
    }

    @Override
    public void onOriginMessage(HttpObject message) {
        if (done) {
            ReferenceCountUtil.release(message);
            return;
        }
        originActivityNanos = ctx.executor().ticker().nanoTime();
        if (message instanceof HttpResponse response) {
            if (response.decoderResult().isFailure()) {
                ReferenceCountUtil.release(message);
                originFailed(Result.ERR_ORIGIN_ERROR, "origin sent a malformed response");
                return;
            }
            onResponseHead(response);
        }
        if (message instanceof HttpContent content) {
            onResponseContent(content);
        }
    }

    private void onResponseHead(HttpResponse response) {
        int code = response.status().code();
        if (code >= 100 && code < 200) {
            if (code == 101) {
                switchProtocols(response);
                return;
            }
            informational = true;
            forwardedInformational = code != 100;
            if (forwardedInformational) {
                ctx.write(response, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(response);
            }
            return;
        }
        record.serverStatus(code);
        record.proxyStatus(code);
        originAnswered("ok");
        if (upgrade) {
            // The origin declined the upgrade: the exchange stays HTTP on both sides.
            connection.resume(ClientConnectionHandler.PAUSE_UPGRADE);
        }
        originKeepAlive = HttpUtil.isKeepAlive(response);
        HttpHeaders headers = response.headers();
        boolean originChunked = HttpUtil.isTransferEncodingChunked(response);
        boolean hasLength = headers.contains(HttpHeaderNames.CONTENT_LENGTH);
        HeaderRules.removeHopByHop(headers);
        headers.add(HttpHeaderNames.VIA, viaValue(response.protocolVersion()));
        boolean bodyless = headRequest || code == 204 || code == 304;
        boolean http10Client = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        if (!bodyless && !hasLength) {
            if (http10Client) {
                closeAfter = true;
            } else {
                responseChunkedToClient = true;
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
        } else if (originChunked && bodyless && headRequest) {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        if (!requestComplete) {
            // The origin answers before the body is in: what remains of it cannot be framed for the
            // next request, so this connection ends with this response.
            closeAfter = true;
        }
        if (closeAfter) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10Client) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        responseStarted = true;
        ctx.write(response, ctx.voidPromise());
    }

    /**
     * The origin's 101. Only the answer to a WebSocket handshake that was passed on, naming that
     * protocol, with the request complete and nothing read after it, opens a tunnel; any other 101
     * is a 502, so no origin can turn a plain request into a raw channel to itself.
     */
    private void switchProtocols(HttpResponse response) {
        if (!upgrade || !HeaderRules.switchesToWebSocket(response)) {
            ReferenceCountUtil.release(response);
            originFailed(Result.ERR_ORIGIN_ERROR, upgrade
                    ? "origin switched to another protocol than the websocket asked for"
                    : "origin switched protocols without an upgrade request");
            return;
        }
        if (!requestComplete || connection.hasPipelined()) {
            // What the client sent early was read as HTTP and can be neither served nor tunnelled:
            // the connection ends with the refusal.
            ReferenceCountUtil.release(response);
            OriginConnection switched = origin;
            origin = null;
            switched.release(false);
            stopOriginTimer();
            respondLocally(HttpResponseStatus.BAD_GATEWAY, Result.ERR_INVALID_REQ,
                    "client sent data before the upgrade was answered", true);
            return;
        }
        record.serverStatus(101);
        record.proxyStatus(101);
        originAnswered("ok");
        stopOriginTimer();
        HttpHeaders headers = response.headers();
        HeaderRules.removeHopByHop(headers);
        // A 101 has no body (RFC 6455); this field would make the encoder expect one (Hixie-76).
        headers.remove(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
        headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        headers.add(HttpHeaderNames.VIA, viaValue(response.protocolVersion()));
        response.setProtocolVersion(HttpVersion.HTTP_1_1);
        responseStarted = true;
        responseComplete = true;
        closeAfter = true;
        tunnelled = true;
        ctx.write(response, ctx.voidPromise());
        ctx.write(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        OriginConnection switched = origin;
        origin = null;
        Tunnel tunnel = new Tunnel(ctx, switched.channel(), core.config.limits().requestBodyBytes(),
                core.config.limits().idleTimeout().toNanos(), this::onTunnelEnded);
        connection.startTunnel(tunnel);
        switched.switchProtocols(tunnel.originEnd());
        tunnel.start();
    }

    /** The tunnel is over: its line, with the bytes each way as request and response body. */
    private void onTunnelEnded(Result result, String why, long fromClient, long toClient) {
        record.requestBodyBytes(fromClient);
        record.proxyBodyBytes(toClient);
        record.result(result);
        record.reason(why);
        finish();
    }

    private void onResponseContent(HttpContent content) {
        if (informational) {
            if (content instanceof LastHttpContent) {
                informational = false;
                if (forwardedInformational) {
                    // The end of a forwarded 1xx: the client side's encoder expects it too.
                    ctx.write(content, ctx.voidPromise());
                    return;
                }
            }
            content.release();
            return;
        }
        if (!responseStarted) {
            content.release();
            return;
        }
        int bytes = content.content().readableBytes();
        record.proxyBodyBytes(record.proxyBodyBytes() + bytes);
        if (content instanceof LastHttpContent) {
            responseComplete = true;
            stopOriginTimer();
            if (!requestComplete) {
                closeAfter = true;
            }
            if (closeAfter) {
                ctx.writeAndFlush(content).addListener(ChannelFutureListener.CLOSE);
            } else {
                // Flushed here: once finish() gives the origin connection back, its read-complete
                // no longer reaches this transaction.
                ctx.writeAndFlush(content, ctx.voidPromise());
            }
            finish();
            return;
        }
        ctx.write(content, ctx.voidPromise());
        if (!ctx.channel().isWritable()) {
            origin.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void onOriginReadComplete() {
        ctx.flush();
    }

    @Override
    public void onOriginWritabilityChanged(boolean writable) {
        if (writable) {
            connection.resume(ClientConnectionHandler.PAUSE_ORIGIN_UNWRITABLE);
        } else if (!requestComplete) {
            connection.pause(ClientConnectionHandler.PAUSE_ORIGIN_UNWRITABLE);
        }
    }

    @Override
    public void onOriginClosed(Throwable cause) {
        if (done) {
            return;
        }
        if (responseComplete) {
            return;
        }
        if (!responseStarted) {
            failBeforeResponse(cause == null ? new ConnectException("origin closed the connection") : cause, false);
        } else {
            // Part of the body is out: close the client connection short so the truncation shows,
            // never a clean end (no last chunk, no completed length).
            originFailed(Result.ERR_ORIGIN_ERROR, "origin closed mid-response");
        }
    }

    /** The client's connection can take more (or no more) of the response. */
    void onClientWritabilityChanged(boolean writable) {
        if (origin != null && !done) {
            origin.channel().config().setAutoRead(writable);
        }
    }

    private void failBeforeResponse(Throwable cause, boolean connectPhase) {
        OriginConnection failed = origin;
        if (failed != null) {
            origin = null;
            failed.release(false);
        }
        stopOriginTimer();
        boolean retryable = !connectPhase && failed != null && failed.reused() && attempts == 1
                && HeaderRules.isIdempotent(request.method()) && !sentBodyToOrigin && !responseStarted;
        if (retryable) {
            // A pooled connection the origin had already closed: the request never reached it, so a
            // fresh connection may carry it (idempotent methods with no body sent only).
            if (requestComplete) {
                // The request's end went out on the dead connection; the new one needs it too, or
                // its encoder is left mid-message and the next request lent that connection fails.
                pendingBody.add(LastHttpContent.EMPTY_LAST_CONTENT);
            }
            acquireOrigin();
            return;
        }
        boolean unresolved = connectPhase && cause instanceof UnknownHostException;
        originAnswered(cause instanceof OriginBusyException ? "busy"
                : cause instanceof ConnectTimeoutException ? "timeout"
                : cause instanceof OriginTlsException ? "tls_error"
                : unresolved ? "dns_error"
                : connectPhase ? "connect_error" : "error");
        if (cause instanceof OriginTlsException tls) {
            // Accepted, then not trusted (or not agreed with): a different fault from a refusal,
            // and the log says which.
            respondLocally(HttpResponseStatus.BAD_GATEWAY, Result.ERR_CONNECT_FAIL, tls.getMessage(), !requestComplete);
        } else if (cause instanceof OriginBusyException) {
            respondLocally(HttpResponseStatus.SERVICE_UNAVAILABLE, Result.ERR_ORIGIN_BUSY, cause.getMessage(),
                    !requestComplete);
        } else if (cause instanceof ConnectTimeoutException) {
            respondLocally(HttpResponseStatus.GATEWAY_TIMEOUT, Result.ERR_CONNECT_FAIL,
                    "origin " + target.origin() + " did not accept a connection in time", !requestComplete);
        } else if (unresolved) {
            // Told apart from a refusal: the operator's fix is in DNS or the remap rule, not the origin.
            respondLocally(HttpResponseStatus.BAD_GATEWAY, Result.ERR_DNS_FAIL,
                    "origin " + target.origin() + " has a name that does not resolve", !requestComplete);
        } else if (connectPhase) {
            respondLocally(HttpResponseStatus.BAD_GATEWAY, Result.ERR_CONNECT_FAIL,
                    "origin " + target.origin() + " refused the connection", !requestComplete);
        } else {
            respondLocally(HttpResponseStatus.BAD_GATEWAY, Result.ERR_ORIGIN_ERROR,
                    "origin " + target.origin() + " closed the connection without a response", !requestComplete);
        }
    }

    private void originFailed(Result result, String why) {
        if (!responseStarted) {
            OriginConnection failed = origin;
            origin = null;
            if (failed != null) {
                failed.release(false);
            }
            stopOriginTimer();
            respondLocally(HttpResponseStatus.BAD_GATEWAY, result, why, !requestComplete);
        } else {
            abort(result);
        }
    }

    private void originAnswered(String outcome) {
        if (originAskedNanos != 0) {
            core.originLatency.record(ctx.executor().ticker().nanoTime() - originAskedNanos, outcome);
            originAskedNanos = 0;
        }
    }

    private void startOriginTimer() {
        originActivityNanos = ctx.executor().ticker().nanoTime();
        scheduleOriginTimer(core.config.origins().responseTimeout().toNanos());
    }

    private void scheduleOriginTimer(long delayNanos) {
        if (originTimer == null) {
            originTimer = core.timeouts(ctx.executor()).newTimeout(this::checkOriginTimer);
        }
        originTimer.arm(ctx.executor().ticker().nanoTime() + delayNanos);
    }

    private void checkOriginTimer() {
        if (done || responseComplete) {
            return;
        }
        long timeout = core.config.origins().responseTimeout().toNanos();
        long idle = ctx.executor().ticker().nanoTime() - originActivityNanos;
        if (idle < timeout || !origin.channel().config().isAutoRead() && responseStarted) {
            // Still within time, or the origin waits on a slow client (then the client's pace rules).
            scheduleOriginTimer(Math.max(timeout - idle, TimeUnit.MILLISECONDS.toNanos(10)));
            return;
        }
        if (!responseStarted) {
            originAnswered("timeout");
            OriginConnection slow = origin;
            origin = null;
            slow.release(false);
            respondLocally(HttpResponseStatus.GATEWAY_TIMEOUT, Result.ERR_READ_TIMEOUT,
                    "origin " + target.origin() + " did not answer in time", !requestComplete);
        } else {
            abort(Result.ERR_READ_TIMEOUT);
        }
    }

    private void stopOriginTimer() {
        if (originTimer != null) {
            originTimer.disarm();
        }
    }

    /**
     * Answers from the proxy itself with a short text body. {@code mustClose} when the rest of the
     * request cannot be read past (an unread body, a broken message).
     */
    void respondLocally(HttpResponseStatus status, Result result, String sentence, boolean mustClose) {
        if (done) {
            return;
        }
        if (responseStarted) {
            abort(result);
            return;
        }
        record.result(result);
        record.reason(sentence);
        record.proxyStatus(status.code());
        if (mustClose) {
            // An unread body, or a message we cannot frame past: nothing after it can be trusted.
            closeAfter = true;
        }
        ByteBuf body = headRequest ? Unpooled.EMPTY_BUFFER
                : Unpooled.copiedBuffer(status.code() + " " + status.reasonPhrase() + ": " + sentence + "\n",
                StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        HttpUtil.setContentLength(response, headRequest ? 0 : body.readableBytes());
        response.headers().set(HttpHeaderNames.VIA, VIA_1_1);
        record.proxyBodyBytes(body.readableBytes());
        responseStarted = true;
        responseComplete = true;
        if (closeAfter) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            if (!clientKeepAlive || request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
            ctx.writeAndFlush(response, ctx.voidPromise());
        }
        finish();
    }

    /** Ends the transaction without a complete response: the client connection closes. */
    void abort(Result result) {
        if (done || tunnelled) {
            return;
        }
        if (record.result() == Result.TCP_MISS) {
            record.result(result);
        }
        closeAfter = true;
        if (origin != null) {
            OriginConnection broken = origin;
            origin = null;
            broken.release(false);
        }
        ctx.channel().close();
        finish();
    }

    /** The client went away: whatever is in flight to the origin is dropped with its connection. */
    void onClientClosed() {
        if (!done && !tunnelled) {
            abort(Result.ERR_CLIENT_ABORT);
        }
    }

    /** The client sent nothing for too long while the body was due. */
    void onBodyTimeout() {
        if (done) {
            return;
        }
        requestComplete = true;
        if (!responseStarted) {
            respondLocally(HttpResponseStatus.REQUEST_TIMEOUT, Result.ERR_CLIENT_READ_ERROR,
                    "request body did not arrive in time", true);
        } else {
            abort(Result.ERR_CLIENT_READ_ERROR);
        }
    }

    private void finish() {
        if (done) {
            return;
        }
        done = true;
        stopOriginTimer();
        for (HttpContent piece; (piece = pendingBody.poll()) != null; ) {
            piece.release();
        }
        // A connection still being acquired is given straight back by onAcquired, which sees done.
        if (origin != null) {
            OriginConnection used = origin;
            origin = null;
            used.channel().config().setAutoRead(true);
            used.release(responseComplete && requestComplete && originKeepAlive);
        }
        record.endNanos(ctx.executor().ticker().nanoTime());
        core.accessLog.log(record);
        connection.onTransactionDone(this, closeAfter);
    }
}
