import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.File;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * The floor muxgate is measured against: the minimal Netty 4.2 TLS h2 reverse proxy of
 * ../shared/DESIGN.md's performance table, with nothing of muxgate in it. One epoll event loop;
 * OpenSSL (tcnative) with ALPN h2; {@code Http2FrameCodec} and {@code Http2MultiplexHandler}; each
 * stream converted to HTTP/1.1 objects ({@code Http2StreamFrameToHttpObjectCodec}), aggregated,
 * and sent to one origin over keep-alive HTTP/1.1 connections pooled on the same loop. No limits,
 * no logs, no metrics, no guards: a benchmark peer only, never a server to expose.
 *
 * <pre>java -cp 'gateway/target/lib/*' bench/NettyFloorProxy.java PORT ORIGIN_HOST ORIGIN_PORT CERT KEY</pre>
 *
 * It prints {@code netty-floor: ready} once it listens.
 */
public final class NettyFloorProxy {

    private static final int MAX_BODY = 1 << 20;

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: NettyFloorProxy PORT ORIGIN_HOST ORIGIN_PORT CERT_PEM KEY_PEM");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        InetSocketAddress origin = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
        SslContext tls = SslContextBuilder.forServer(new File(args[3]), new File(args[4]))
                .sslProvider(SslProvider.OPENSSL)
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2))
                .build();
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        OriginPool pool = new OriginPool(loop.next(), origin);
        new ServerBootstrap()
                .group(loop)
                .channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build());
                        ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                            @Override
                            protected void initChannel(Http2StreamChannel stream) {
                                stream.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true));
                                stream.pipeline().addLast(new HttpObjectAggregator(MAX_BODY));
                                stream.pipeline().addLast(new StreamProxy(pool));
                            }
                        }));
                    }
                })
                .bind(port).sync();
        System.out.println("netty-floor: ready on " + port + ", origin " + origin);
    }

    /** One client stream: its aggregated request goes to a pooled origin connection. */
    static final class StreamProxy extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final OriginPool pool;

        StreamProxy(OriginPool pool) {
            this.pool = pool;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            request.headers().remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
            request.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
            HttpUtil.setKeepAlive(request, true);
            pool.send(request.retain(), ctx.channel());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Keep-alive origin connections of the one loop; a stream takes one for its exchange. */
    static final class OriginPool {
        private final EventLoop loop;
        private final InetSocketAddress origin;
        private final ArrayDeque<OriginHandler> idle = new ArrayDeque<>();

        OriginPool(EventLoop loop, InetSocketAddress origin) {
            this.loop = loop;
            this.origin = origin;
        }

        void send(FullHttpRequest request, Channel stream) {
            OriginHandler connection;
            while ((connection = idle.pollFirst()) != null) {
                if (connection.channel.isActive()) {
                    connection.exchange(request, stream);
                    return;
                }
            }
            OriginHandler fresh = new OriginHandler(this);
            new Bootstrap()
                    .group(loop)
                    .channel(EpollSocketChannel.class)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel c) {
                            c.pipeline().addLast(new HttpClientCodec());
                            c.pipeline().addLast(new HttpObjectAggregator(MAX_BODY));
                            c.pipeline().addLast(fresh);
                        }
                    })
                    .connect(origin)
                    .addListener((ChannelFutureListener) f -> {
                        if (f.isSuccess()) {
                            fresh.exchange(request, stream);
                        } else {
                            request.release();
                            answerBadGateway(stream);
                        }
                    });
        }

        void release(OriginHandler connection) {
            idle.addFirst(connection);
        }
    }

    /** Hands an origin's aggregated response to the stream that asked, then frees the connection. */
    static final class OriginHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final OriginPool pool;
        private Channel channel;
        private Channel stream;

        OriginHandler(OriginPool pool) {
            this.pool = pool;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        void exchange(FullHttpRequest request, Channel toStream) {
            stream = toStream;
            channel.writeAndFlush(request);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            Channel s = stream;
            stream = null;
            boolean reusable = HttpUtil.isKeepAlive(response);
            // Connection-specific fields are dropped by the h2 conversion (HttpConversionUtil).
            if (s != null) {
                s.writeAndFlush(response.retain());
            }
            if (reusable) {
                pool.release(this);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Channel s = stream;
            stream = null;
            if (s != null) {
                answerBadGateway(s);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    static void answerBadGateway(Channel stream) {
        FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY);
        bad.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        stream.writeAndFlush(bad);
    }
}
