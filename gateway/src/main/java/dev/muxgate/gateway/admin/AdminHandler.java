package dev.muxgate.gateway.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;

/**
 * Answers one admin request from memory: routes by path, refuses methods other than GET, and writes
 * the page with its length, so keep-alive scrapers reuse their connection. Shared by every admin
 * connection; its only state is the draining flag.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String JSON = "application/json";
    static final int DEFAULT_SESSION_LIMIT = 1000;
    static final int MAX_SESSION_LIMIT = 10_000;

    private final GatewayMetrics metrics;
    private final LiveSessions sessions;
    private volatile boolean draining;

    AdminHandler(GatewayMetrics metrics, LiveSessions sessions) {
        this.metrics = metrics;
        this.sessions = sessions;
    }

    void setDraining(boolean newDraining) {
        draining = newDraining;
    }

    boolean draining() {
        return draining;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            FullHttpResponse response = json(ctx, HttpResponseStatus.BAD_REQUEST, error("malformed request"));
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        FullHttpResponse response;
        try {
            response = route(ctx, request);
        } catch (IllegalArgumentException e) {
            // QueryStringDecoder refuses a broken percent-encoding such as /metrics?%zz.
            response = json(ctx, HttpResponseStatus.BAD_REQUEST, error("malformed request target"));
        }
        ctx.writeAndFlush(response);
    }

    private FullHttpResponse route(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        FullHttpResponse response;
        if (!path.equals("/metrics") && !path.equals("/health") && !path.equals("/sessions")) {
            response = json(ctx, HttpResponseStatus.NOT_FOUND,
                    error("no such page; the admin endpoint serves /metrics, /health and /sessions"));
        } else if (!HttpMethod.GET.equals(request.method())) {
            response = json(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, error("only GET is allowed here"));
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
        } else if (path.equals("/metrics")) {
            response = metrics(ctx);
        } else if (path.equals("/health")) {
            response = draining
                    ? json(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"draining\"}")
                    : json(ctx, HttpResponseStatus.OK, "{\"status\":\"ok\"}");
        } else {
            response = sessions(ctx, uri);
        }
        return response;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Read timeouts and peers that went away: nothing to answer, nothing worth a log line.
        ctx.close();
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf body = ctx.alloc().buffer(16 * 1024);
        boolean written = false;
        try {
            // CPU only: the registry formats what it holds in memory.
            metrics.scrape(new ByteBufOutputStream(body));
            written = true;
        } catch (IOException | RuntimeException e) {
            // Answered below; the scraper sees a 500 and tries again at its next interval.
        } finally {
            if (!written) {
                body.release();
            }
        }
        if (!written) {
            return json(ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, error("metrics could not be written"));
        }
        return response(HttpResponseStatus.OK, PROMETHEUS_TEXT, body);
    }

    private FullHttpResponse sessions(ChannelHandlerContext ctx, QueryStringDecoder uri) {
        int limit = DEFAULT_SESSION_LIMIT;
        List<String> limits = uri.parameters().get("limit");
        if (limits != null && !limits.isEmpty()) {
            limit = parseLimit(limits.get(0));
            if (limit < 0) {
                return json(ctx, HttpResponseStatus.BAD_REQUEST,
                        error("limit must be a whole number from 0 to " + MAX_SESSION_LIMIT));
            }
        }
        long now = System.nanoTime();
        StringBuilder text = new StringBuilder(128 + 128 * Math.min(limit, sessions.size()));
        JsonWriter json = new JsonWriter(text).beginArray();
        for (LiveSession session : sessions.oldest(limit)) {
            json.beginObject()
                    .name("number").value(session.number())
                    .name("protocol").value(session.protocol())
                    .name("client").value(client(session.clientIp(), session.clientPort()))
                    .name("streams").value(session.openStreams())
                    .name("age_ms").value(Math.max(0, (now - session.startNanos()) / 1_000_000))
                    .endObject();
        }
        json.endArray();
        return json(ctx, HttpResponseStatus.OK, text.toString());
    }

    /** The limit asked for, capped at the maximum; -1 when it is not a whole number from 0 up. */
    static int parseLimit(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return -1;
            }
        }
        // Nine digits always fit an int; longer is above the cap anyway.
        return text.length() > 9 ? MAX_SESSION_LIMIT : Math.min(Integer.parseInt(text), MAX_SESSION_LIMIT);
    }

    /** {@code ip:port}, an IPv6 address in brackets; null when the address is unknown. */
    static String client(String ip, int port) {
        if (ip == null) {
            return null;
        }
        return ip.indexOf(':') >= 0 ? "[" + ip + "]:" + port : ip + ":" + port;
    }

    private static String error(String sentence) {
        StringBuilder text = new StringBuilder();
        new JsonWriter(text).beginObject().name("error").value(sentence).endObject();
        return text.toString();
    }

    private static FullHttpResponse json(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        return response(status, JSON, ByteBufUtil.writeUtf8(ctx.alloc(), body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        return response;
    }
}
