package dev.muxgate.gateway.bench;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ChannelDuplexHandler;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark behind {@code bench/spdy-vs-h2.sh}: one in-process gateway (demo origin, access
 * log on), and a closed-loop load client on Netty's frame codec for each protocol, with the same
 * shape (connections x concurrent streams, GET /bytes/SIZE, a new request as each one ends, one
 * flush per read) so the clients cost alike. Rounds
 * alternate h2 and spdy/3.1 so drift on a shared machine hits both; prints req/s per round, the
 * totals, and last the ratio spdy/3.1 / h2.
 *
 * <p>Arguments: connections streams seconds-per-round rounds size (defaults 8 16 5 3 1024).
 */
public final class SpdyVsH2Load {

    private SpdyVsH2Load() {
    }

    public static void main(String[] args) throws Exception {
        int connections = arg(args, 0, 8);
        int streams = arg(args, 1, 16);
        int seconds = arg(args, 2, 5);
        int rounds = arg(args, 3, 3);
        int size = arg(args, 4, 1024);
        Path dir = Files.createTempDirectory("muxgate-spdy-vs-h2");
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults().withListener(new ListenerConfig(false, "127.0.0.1", 0))
                .withAccessLog(new AccessLogConfig(true, dir.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        GatewayConfig config = GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new AdminConfig(false, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(true, dir.resolve("session.log"), 0, Duration.ZERO, 0, 65536))
                .withShutdownGrace(Duration.ofSeconds(1))
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state")));
        EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        String ratio;
        try (Gateway gateway = Gateway.start(config)) {
            int port = gateway.tlsAddress().getPort();
            String path = "/bytes/" + size;
            System.out.printf("workload: GET %s, %d connections x %d streams, %d s rounds%n", path, connections,
                    streams, seconds);
            // Warm-up: the JIT sees both paths before anything counts.
            run("h2", clientLoop, port, path, connections, streams, seconds);
            run("spdy/3.1", clientLoop, port, path, connections, streams, seconds);
            long h2 = 0;
            long spdy = 0;
            for (int r = 1; r <= rounds; r++) {
                long a = run("h2", clientLoop, port, path, connections, streams, seconds);
                long b = run("spdy/3.1", clientLoop, port, path, connections, streams, seconds);
                System.out.printf("round %d: h2 %.0f req/s, spdy/3.1 %.0f req/s%n", r, a / (double) seconds,
                        b / (double) seconds);
                h2 += a;
                spdy += b;
            }
            double total = (double) rounds * seconds;
            System.out.printf("h2: %.0f req/s%n", h2 / total);
            System.out.printf("spdy/3.1: %.0f req/s%n", spdy / total);
            ratio = String.format("spdy/3.1 / h2: %.2f", spdy / (double) h2);
        } finally {
            clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        // Every counted response went through the core: its access log (closed, so complete) says so.
        try (var lines = Files.lines(dir.resolve("access.log"))) {
            var byTag = lines.map(l -> l.split(" ")[3]).collect(java.util.stream.Collectors.groupingBy(t -> t,
                    java.util.stream.Collectors.counting()));
            System.out.println("access log lines by pitag (warm-up included): " + byTag);
        }
        System.out.println(ratio);
        System.exit(0);
    }

    private static int arg(String[] args, int i, int fallback) {
        return args.length > i ? Integer.parseInt(args[i]) : fallback;
    }

    /** Completed responses in {@code seconds} over fresh sessions of {@code protocol}. */
    private static long run(String protocol, EventLoopGroup loop, int port, String path, int connections,
                            int streams, int seconds) throws Exception {
        SslContext ssl = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                .build();
        AtomicLong done = new AtomicLong();
        List<Channel> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                boolean spdy = protocol.startsWith("spdy");
                Channel ch = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel c) {
                                c.pipeline().addLast(ssl.newHandler(c.alloc(), "127.0.0.1", port));
                                if (spdy) {
                                    c.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1));
                                    c.pipeline().addLast(new SpdyLoad(port, path, done));
                                } else {
                                    c.pipeline().addLast(Http2FrameCodecBuilder.forClient().build());
                                    c.pipeline().addLast(new H2Load(port, path, done));
                                }
                            }
                        })
                        .connect("127.0.0.1", port).sync().channel();
                ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
                sessions.add(ch);
                ch.eventLoop().execute(() -> {
                    for (int s = 0; s < streams; s++) {
                        if (spdy) {
                            ch.pipeline().get(SpdyLoad.class).next(ch);
                        } else {
                            ch.pipeline().get(H2Load.class).next(ch);
                        }
                    }
                    ch.flush();
                });
            }
            long start = done.get();
            Thread.sleep(seconds * 1000L);
            return done.get() - start;
        } finally {
            for (Channel ch : sessions) {
                ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            }
            ReferenceCountUtil.release(ssl);
        }
    }

    /** h2 requests on one session, at the frame level like the SPDY client: each end of stream sends the next. */
    private static final class H2Load extends Http2ChannelDuplexHandler {
        private final Http2Headers headers;
        private final AtomicLong done;

        H2Load(int port, String path, AtomicLong done) {
            this.headers = new DefaultHttp2Headers().method("GET").scheme("https")
                    .authority("127.0.0.1:" + port).path(path);
            this.done = done;
        }

        void next(Channel ch) {
            if (ch.isActive()) {
                ch.write(new DefaultHttp2HeadersFrame(headers, true).stream(newStream()));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            if (msg instanceof Http2DataFrame d) {
                end = d.isEndStream();
                if (!end && d.initialFlowControlledBytes() > 0) {
                    ctx.write(new DefaultHttp2WindowUpdateFrame(d.initialFlowControlledBytes()).stream(d.stream()));
                }
            } else if (msg instanceof Http2HeadersFrame h) {
                end = h.isEndStream();
            } else if (msg instanceof Http2ResetFrame) {
                end = true;
            }
            ReferenceCountUtil.release(msg);
            if (end) {
                done.incrementAndGet();
                next(ctx.channel());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }
    }

    /** SPDY/3.1 requests on one session: each FIN sends the next SYN_STREAM; the session window is given back. */
    private static final class SpdyLoad extends ChannelInboundHandlerAdapter {
        private final int port;
        private final String path;
        private final AtomicLong done;
        private int nextId = 1;
        private int unacknowledged;

        SpdyLoad(int port, String path, AtomicLong done) {
            this.port = port;
            this.path = path;
            this.done = done;
        }

        void next(Channel ch) {
            if (!ch.isActive()) {
                return;
            }
            SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(nextId, 0, (byte) 0);
            nextId += 2;
            syn.headers().set(":method", "GET").set(":path", path).set(":version", "HTTP/1.1")
                    .set(":host", "127.0.0.1:" + port).set(":scheme", "https");
            syn.setLast(true);
            ch.write(syn);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean end = false;
            if (msg instanceof SpdyDataFrame d) {
                unacknowledged += d.content().readableBytes();
                end = d.isLast();
            } else if (msg instanceof SpdySynReplyFrame r) {
                end = r.isLast();
            } else if (msg instanceof SpdyRstStreamFrame) {
                end = true;
            }
            ReferenceCountUtil.release(msg);
            if (unacknowledged >= 32 * 1024) {
                ctx.write(new DefaultSpdyWindowUpdateFrame(0, unacknowledged));
                unacknowledged = 0;
            }
            if (end) {
                done.incrementAndGet();
                next(ctx.channel());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }
    }
}
