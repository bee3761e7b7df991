package dev.muxgate.httpcore.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A well-behaved HTTP/1.1 origin on loopback, on loops of its own, that records what reached it.
 * Paths: {@code /sink} counts the request body and answers {@code got N} (with {@code ?pauseAt=B&pauseMs=M}
 * it stops reading for M ms after B bytes); {@code /bytes/N} streams N bytes paced by writability;
 * {@code /hop} answers with hop-by-hop fields; {@code /noclen/N} sends N bytes with neither length
 * nor chunking and closes; {@code /trailers} answers chunked with a trailer and reports the request's;
 * {@code /status/CODE}; anything else {@code hello}.
 */
final class TestOrigin implements AutoCloseable {

    /** One request as the origin saw it, when its body ended. */
    record Seen(String method, String uri, HttpHeaders headers, long bodyBytes, HttpHeaders trailers) {
    }

    static final ByteBuf FILLER;

    static {
        byte[] bytes = new byte[16 * 1024];
        Arrays.fill(bytes, (byte) 'o');
        FILLER = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
    }

    final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    final BlockingQueue<HttpRequest> heads = new LinkedBlockingQueue<>();
    final AtomicInteger accepted = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TestOrigin() throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.incrementAndGet();
                        ch.closeFuture().addListener(f -> closed.incrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(), new Handler());
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    int openConnections() {
        return accepted.get() - closed.get();
    }

    Seen take() throws InterruptedException {
        Seen s = seen.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the origin saw no request");
        }
        return s;
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    private final class Handler extends ChannelInboundHandlerAdapter {
        private HttpRequest request;
        private String path;
        private Map<String, List<String>> query;
        private long body;
        private long pauseAt = -1;
        private long pauseMs;
        private long streamLeft;
        private boolean streaming;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest r) {
                request = r;
                heads.add(r);
                QueryStringDecoder q = new QueryStringDecoder(r.uri());
                path = q.path();
                query = q.parameters();
                body = 0;
                pauseAt = query.containsKey("pauseAt") ? Long.parseLong(query.get("pauseAt").get(0)) : -1;
                pauseMs = query.containsKey("pauseMs") ? Long.parseLong(query.get("pauseMs").get(0)) : 0;
            }
            if (msg instanceof HttpContent c) {
                long before = body;
                body += c.content().readableBytes();
                boolean last = c instanceof LastHttpContent;
                HttpHeaders trailers = last ? ((LastHttpContent) c).trailingHeaders().copy() : null;
                c.release();
                if (pauseAt >= 0 && before < pauseAt && body >= pauseAt) {
                    ctx.channel().config().setAutoRead(false);
                    ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), pauseMs,
                            TimeUnit.MILLISECONDS);
                }
                if (last) {
                    seen.add(new Seen(request.method().name(), request.uri(), request.headers(), body, trailers));
                    respond(ctx, trailers);
                }
            }
        }

        private void respond(ChannelHandlerContext ctx, HttpHeaders requestTrailers) {
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (path.equals("/sink")) {
                full(ctx, HttpResponseStatus.OK, "got " + body, keepAlive);
            } else if (path.startsWith("/bytes/")) {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                long n = Long.parseLong(path.substring(7));
                HttpUtil.setContentLength(r, n);
                ctx.write(r);
                streamLeft = n;
                streaming = true;
                pump(ctx);
            } else if (path.equals("/hop")) {
                FullHttpResponse r = response(HttpResponseStatus.OK, "hop");
                r.headers().add(HttpHeaderNames.CONNECTION, "X-Hop-Resp");
                r.headers().add("X-Hop-Resp", "secret");
                r.headers().add(HttpHeaderNames.KEEP_ALIVE, "timeout=5");
                r.headers().add(HttpHeaderNames.PROXY_CONNECTION, "keep-alive");
                r.headers().add(HttpHeaderNames.UPGRADE, "h2c");
                r.headers().add("X-End-To-End", "kept");
                ctx.writeAndFlush(r);
            } else if (path.startsWith("/noclen/")) {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                ctx.write(r);
                long n = Long.parseLong(path.substring(8));
                while (n > 0) {
                    int k = (int) Math.min(n, FILLER.capacity());
                    ctx.write(new DefaultHttpContent(FILLER.retainedSlice(0, k)));
                    n -= k;
                }
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            } else if (path.equals("/trailers")) {
                HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                HttpUtil.setTransferEncodingChunked(r, true);
                ctx.write(r);
                StringBuilder sb = new StringBuilder("body=" + body + " trailers=");
                if (requestTrailers != null) {
                    requestTrailers.forEach(e -> sb.append(e.getKey()).append(':').append(e.getValue()).append(';'));
                }
                ctx.write(new DefaultHttpContent(Unpooled.copiedBuffer(sb, StandardCharsets.UTF_8)));
                LastHttpContent last = new DefaultLastHttpContent();
                last.trailingHeaders().add("X-Checksum", "abc123");
                ctx.writeAndFlush(last);
            } else if (path.startsWith("/status/")) {
                int code = Integer.parseInt(path.substring(8));
                if (code == 204 || code == 304) {
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.valueOf(code)));
                } else {
                    full(ctx, HttpResponseStatus.valueOf(code), "status " + code, keepAlive);
                }
            } else {
                full(ctx, HttpResponseStatus.OK, "hello " + request.uri(), keepAlive);
            }
        }

        private FullHttpResponse response(HttpResponseStatus status, String text) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            HttpUtil.setContentLength(r, r.content().readableBytes());
            return r;
        }

        private void full(ChannelHandlerContext ctx, HttpResponseStatus status, String text, boolean keepAlive) {
            FullHttpResponse r = response(status, text);
            if (!keepAlive) {
                r.headers().set(HttpHeaderNames.CONNECTION, "close");
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.writeAndFlush(r);
            }
        }

        private void pump(ChannelHandlerContext ctx) {
            while (streaming && ctx.channel().isWritable()) {
                if (streamLeft == 0) {
                    streaming = false;
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                    return;
                }
                int k = (int) Math.min(streamLeft, FILLER.capacity());
                streamLeft -= k;
                ctx.write(new DefaultHttpContent(FILLER.retainedSlice(0, k)));
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (streaming && ctx.channel().isWritable()) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
