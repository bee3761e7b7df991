package dev.muxgate.httpcore.origin;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Serves one demo-origin connection; see {@link DemoOrigin} for what it answers. */
final class DemoOriginHandler extends ChannelInboundHandlerAdapter {

    private static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>muxgate</title></head>
            <body><h1>muxgate</h1>
            <p>You reached the built-in demo origin through muxgate's proxy core.</p>
            <ul>
            <li><a href="/echo">/echo</a> shows your request as the origin saw it</li>
            <li><a href="/bytes/1048576">/bytes/N</a> sends N bytes</li>
            <li><a href="/status/418">/status/CODE</a> answers with that status</li>
            <li><a href="/delay/500">/delay/MS</a> answers after MS milliseconds</li>
            <li>/ws is a WebSocket echo: try it here</li>
            </ul>
            <p><input id="ws-text" value="hello, muxgate"> <button id="ws-send">send over WebSocket</button></p>
            <pre id="ws-log"></pre>
            <script>
            (function () {
              var log = document.getElementById('ws-log');
              var socket = null;
              function say(line) { log.textContent += line + '\\n'; }
              function send() {
                var text = document.getElementById('ws-text').value;
                if (socket && socket.readyState === 1) { socket.send(text); say('sent: ' + text); return; }
                socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws');
                socket.onopen = function () { say('open'); socket.send(text); say('sent: ' + text); };
                socket.onmessage = function (e) { say('echo: ' + e.data); };
                socket.onerror = function () { say('error'); };
                socket.onclose = function (e) { say('closed ' + e.code); };
              }
              document.getElementById('ws-send').addEventListener('click', send);
            })();
            </script>
            </body></html>
            """;

    private final DemoOrigin demo;
    private boolean echoing;
    private boolean echoHead;
    private long bytesLeft;
    private boolean streaming;

    DemoOriginHandler(DemoOrigin demo) {
        this.demo = demo;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame) {
            echoFrame(ctx, frame);
            return;
        }
        if (msg instanceof HttpRequest request) {
            onRequest(ctx, request);
        }
        if (msg instanceof HttpContent content) {
            if (echoing) {
                if (content instanceof LastHttpContent) {
                    echoing = false;
                    ctx.writeAndFlush(echoHead ? LastHttpContent.EMPTY_LAST_CONTENT
                            : new DefaultLastHttpContent(content.content().retain()));
                } else if (!echoHead) {
                    ctx.write(new DefaultHttpContent(content.content().retain()));
                    if (!ctx.channel().isWritable()) {
                        // The echo goes no faster than its reader: stop taking the upload until
                        // the response drains, or an unread echo would pile up here. Flush first and
                        // look again: a flush that drains fires its writability event right away, and
                        // pausing after that event would wait for one that never comes.
                        ctx.flush();
                        if (!ctx.channel().isWritable()) {
                            ctx.channel().config().setAutoRead(false);
                        }
                    }
                }
            }
            ReferenceCountUtil.release(content);
        }
    }

    /**
     * {@code /ws}: every data frame goes back as it came (pings and closes are the protocol
     * handler's). Paced like the HTTP echo: no reading while the echo cannot be written.
     */
    private static void echoFrame(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame
                || frame instanceof ContinuationWebSocketFrame) {
            ctx.write(frame);
            if (!ctx.channel().isWritable()) {
                ctx.flush();
                if (!ctx.channel().isWritable()) {
                    ctx.channel().config().setAutoRead(false);
                }
            }
        } else {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        String path = request.uri();
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = HttpMethod.HEAD.equals(request.method());
        if (path.equals("/") || path.equals("/index.html")) {
            respond(ctx, HttpResponseStatus.OK, "text/html; charset=utf-8", PAGE, keepAlive, head);
        } else if (path.equals("/echo") || path.startsWith("/echo/")) {
            startEcho(ctx, request, head);
        } else if (path.startsWith("/bytes/")) {
            long n = parseNumber(path.substring("/bytes/".length()), DemoOrigin.MAX_BYTES);
            if (n < 0) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain",
                        "N must be 0.." + DemoOrigin.MAX_BYTES + "\n", keepAlive, head);
            } else {
                startBytes(ctx, n, head);
            }
        } else if (path.startsWith("/status/")) {
            long code = parseNumber(path.substring("/status/".length()), 599);
            if (code < 200) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain", "CODE must be 200..599\n", keepAlive, head);
            } else {
                HttpResponseStatus status = HttpResponseStatus.valueOf((int) code);
                boolean noBody = code == 204 || code == 304;
                respond(ctx, status, "text/plain", noBody ? "" : status + "\n", keepAlive, head || noBody);
            }
        } else if (path.startsWith("/delay/")) {
            long ms = parseNumber(path.substring("/delay/".length()), DemoOrigin.MAX_DELAY_MILLIS);
            if (ms < 0) {
                respond(ctx, HttpResponseStatus.BAD_REQUEST, "text/plain",
                        "MS must be 0.." + DemoOrigin.MAX_DELAY_MILLIS + "\n", keepAlive, head);
            } else {
                ctx.executor().schedule(() -> {
                    if (ctx.channel().isActive()) {
                        respond(ctx, HttpResponseStatus.OK, "text/plain", "waited " + ms + " ms\n", keepAlive, head);
                    }
                }, ms, TimeUnit.MILLISECONDS);
            }
        } else {
            respond(ctx, HttpResponseStatus.NOT_FOUND, "text/plain", "no such demo page: " + path + "\n",
                    keepAlive, head);
        }
    }

    private void startEcho(ChannelHandlerContext ctx, HttpRequest request, boolean head) {
        StringBuilder sb = new StringBuilder(256);
        sb.append(request.method()).append(' ').append(request.uri()).append(' ')
                .append(request.protocolVersion()).append('\n');
        for (Map.Entry<String, String> h : request.headers()) {
            sb.append(h.getKey()).append(": ").append(h.getValue()).append('\n');
        }
        sb.append('\n');
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.write(response);
        if (!head) {
            ctx.write(new DefaultHttpContent(DemoOrigin.text(sb.toString())));
        }
        echoing = true;
        echoHead = head;
    }

    private void startBytes(ChannelHandlerContext ctx, long n, boolean head) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/octet-stream");
        HttpUtil.setContentLength(response, n);
        ctx.write(response);
        if (head) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            return;
        }
        bytesLeft = n;
        streaming = true;
        pump(ctx);
    }

    /** Writes filler while the connection is writable; resumes on writability. */
    private void pump(ChannelHandlerContext ctx) {
        while (streaming && ctx.channel().isWritable()) {
            if (bytesLeft == 0) {
                streaming = false;
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            int len = (int) Math.min(DemoOrigin.CHUNK, bytesLeft);
            bytesLeft -= len;
            ByteBuf chunk = demo.filler(len);
            ctx.write(new DefaultHttpContent(chunk));
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (streaming && ctx.channel().isWritable()) {
            pump(ctx);
        }
        if (ctx.channel().isWritable() && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private static void respond(ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body,
                                boolean keepAlive, boolean head) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        if (status.code() != 204 && status.code() != 304) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            HttpUtil.setContentLength(response, bytes.length);
        }
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.writeAndFlush(response);
        }
    }

    private static long parseNumber(String s, long max) {
        if (s.isEmpty() || s.length() > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }
}
