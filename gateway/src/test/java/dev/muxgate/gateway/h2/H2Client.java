package dev.muxgate.gateway.h2;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Netty HTTP/2 client over TLS for what curl and nghttp cannot do: headers that a validating
 * encoder would refuse, resets at a chosen moment, and reading paused at the TCP level.
 */
final class H2Client implements AutoCloseable {

    private final EventLoopGroup group;
    final Channel parent;
    private final int port;

    private H2Client(EventLoopGroup group, Channel parent, int port) {
        this.group = group;
        this.parent = parent;
        this.port = port;
    }

    /**
     * @param windowBytes the stream and connection receive windows the client grants
     */
    static H2Client connect(int port, int windowBytes) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            SslContext ssl = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "h2"))
                    .build();
            Http2Settings settings = Http2Settings.defaultSettings().initialWindowSize(windowBytes);
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc(), "127.0.0.1", port));
                            // No validation: the point is to send what a careful client never would.
                            c.pipeline().addLast(Http2FrameCodecBuilder.forClient().validateHeaders(false)
                                    .initialSettings(settings).build());
                            c.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
            if (!"h2".equals(ch.pipeline().get(SslHandler.class).applicationProtocol())) {
                throw new AssertionError("h2 not negotiated");
            }
            if (windowBytes > 65_535) {
                ch.writeAndFlush(new DefaultHttp2WindowUpdateFrame(windowBytes - 65_535)).sync();
            }
            return new H2Client(group, ch, port);
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A request head with the four pseudo-headers, not validated. */
    Http2Headers request(String method, String path) {
        return new DefaultHttp2Headers(false).method(method).scheme("https")
                .authority("127.0.0.1:" + port).path(path);
    }

    /** The TLS connection is still open (a gateway that sent GOAWAY and closed makes it false). */
    boolean parentActive() {
        return parent.isActive();
    }

    Http2StreamChannel open(ChannelHandler handler) throws InterruptedException {
        return new Http2StreamChannelBootstrap(parent).handler(handler).open().sync().getNow();
    }

    @Override
    public void close() {
        parent.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Records one stream's response: head, byte count (optionally the bytes), end or reset. */
    static final class Recorder extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Http2Headers> head = new CompletableFuture<>();
        final CompletableFuture<String> end = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        volatile long resetCode = -1;
        private final ByteArrayOutputStream body;

        Recorder(boolean keepBody) {
            body = keepBody ? new ByteArrayOutputStream() : null;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    if (!head.complete(h.headers()) || h.isEndStream()) {
                        end.complete("end");
                    }
                } else if (msg instanceof Http2DataFrame d) {
                    ByteBuf content = d.content();
                    bytes.addAndGet(content.readableBytes());
                    if (body != null) {
                        synchronized (body) {
                            content.getBytes(content.readerIndex(), body, content.readableBytes());
                        }
                    }
                    if (d.isEndStream()) {
                        end.complete("end");
                    }
                } else if (msg instanceof Http2ResetFrame r) {
                    resetCode = r.errorCode();
                    end.complete("reset " + r.errorCode());
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // Resets are not flow-controlled, so the multiplexer hands them over as events.
            if (evt instanceof Http2ResetFrame r) {
                resetCode = r.errorCode();
                end.complete("reset " + r.errorCode());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end.complete("closed");
            ctx.fireChannelInactive();
        }

        byte[] body() {
            synchronized (body) {
                return body.toByteArray();
            }
        }

        String status() throws Exception {
            return head.get(30, TimeUnit.SECONDS).status().toString();
        }

        String awaitEnd() throws Exception {
            return end.get(60, TimeUnit.SECONDS);
        }
    }
}
