package dev.muxgate.gateway.warmup;

import dev.muxgate.httpcore.origin.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * The load of a warm-up: a closed loop of HTTP/2 requests over TLS, {@code connections} sessions
 * with {@code streamsPerConnection} streams each, every finished stream replaced by a new one
 * until the request budget or the deadline is spent. The mix is the gateway's common paths: small
 * and large downloads and an upload. It trusts any certificate: it only ever talks to the
 * gateway's own throwaway copy on loopback.
 */
final class WarmUpClient {

    private static final byte[] UPLOAD = "warm-up ".repeat(512).getBytes(StandardCharsets.US_ASCII);

    private final EventLoopGroup group;
    private final InetSocketAddress gateway;
    private final int connections;
    private final int streamsPerConnection;
    private final ClientShape shape;

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger open = new AtomicInteger();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private volatile int budget;
    private volatile long deadlineNanos;

    WarmUpClient(EventLoopGroup group, InetSocketAddress gateway, int connections, int streamsPerConnection,
                 ClientShape shape) {
        this.group = group;
        this.gateway = gateway;
        this.connections = connections;
        this.streamsPerConnection = streamsPerConnection;
        this.shape = shape;
    }

    /** Result of a run: requests answered with a complete 2xx response, and those that were not. */
    record Outcome(long completed, long failed) {
    }

    Outcome run(int requests, long maxNanos) throws InterruptedException, SSLException {
        budget = requests;
        deadlineNanos = System.nanoTime() + maxNanos;
        SslContext ssl = SslContextBuilder.forClient()
                .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        shape.alpn()))
                .build();
        List<Channel> sessions = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                Channel session = new Bootstrap().group(group)
                        .channelFactory(Transport.socketFactoryFor(group.next()))
                        .option(ChannelOption.TCP_NODELAY, true)
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(ssl.newHandler(ch.alloc(), gateway.getHostString(), gateway.getPort()));
                                ch.pipeline().addLast(Http2FrameCodecBuilder.forClient()
                                        .initialSettings(shape.settings()).build());
                                ch.pipeline().addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                            }
                        })
                        .connect(gateway).sync().channel();
                if (shape.connectionWindowIncrement() > 0) {
                    session.writeAndFlush(new DefaultHttp2WindowUpdateFrame(shape.connectionWindowIncrement()));
                }
                sessions.add(session);
            }
            for (Channel session : sessions) {
                session.eventLoop().execute(() -> {
                    for (int s = 0; s < streamsPerConnection; s++) {
                        next(session);
                    }
                });
            }
            long waitMillis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000) + 5_000;
            try {
                done.get(waitMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // Whatever finished counts; a stalled warm-up must never hold the start-up.
            }
        } finally {
            for (Channel session : sessions) {
                session.close().awaitUninterruptibly(2_000);
            }
            ReferenceCountUtil.release(ssl);
        }
        return new Outcome(completed.get(), failed.get());
    }

    /** Opens the next stream of {@code session}, unless the budget or the time is spent. */
    private void next(Channel session) {
        int n = started.getAndIncrement();
        if (n >= budget || System.nanoTime() > deadlineNanos || !session.isActive()) {
            if (open.get() == 0) {
                done.complete(null);
            }
            return;
        }
        open.incrementAndGet();
        new Http2StreamChannelBootstrap(session).handler(new StreamExchange(session, n)).open().addListener(f -> {
            if (!f.isSuccess()) {
                streamEnded(session, false);
            }
        });
    }

    private void streamEnded(Channel session, boolean ok) {
        (ok ? completed : failed).incrementAndGet();
        open.decrementAndGet();
        next(session);
        if (open.get() == 0 && (started.get() >= budget || System.nanoTime() > deadlineNanos || !session.isActive())) {
            done.complete(null);
        }
    }

    /** One request and its response on one stream. */
    private final class StreamExchange extends ChannelInboundHandlerAdapter {
        private final Channel session;
        private final int n;
        private boolean ended;
        private boolean answered;

        StreamExchange(Channel session, int n) {
            this.session = session;
            this.n = n;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Http2StreamChannel stream = (Http2StreamChannel) ctx.channel();
            boolean upload = n % 20 == 7;
            String path = upload ? "/echo" : n % 8 == 3 ? "/bytes/65536" : "/bytes/1024";
            Http2Headers headers = new DefaultHttp2Headers().method(upload ? "POST" : "GET").scheme("https")
                    .authority("localhost").path(path);
            shape.addTo(headers);
            if (upload) {
                headers.setInt("content-length", UPLOAD.length);
                stream.write(new DefaultHttp2HeadersFrame(headers, false));
                stream.writeAndFlush(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(UPLOAD), true));
            } else {
                stream.writeAndFlush(new DefaultHttp2HeadersFrame(headers, true));
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h && h.headers().status() != null) {
                    // Only a 2xx counts: a 502 or 504 would mean the copy reached out of loopback.
                    answered = h.headers().status().charAt(0) == '2';
                }
                boolean end = msg instanceof Http2HeadersFrame h && h.isEndStream()
                        || msg instanceof Http2DataFrame d && d.isEndStream();
                if (msg instanceof Http2ResetFrame) {
                    finish(ctx, false);
                } else if (end) {
                    finish(ctx, answered);
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Http2ResetFrame) {
                finish(ctx, false);
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish(ctx, false);
        }

        private void finish(ChannelHandlerContext ctx, boolean ok) {
            if (ended) {
                return;
            }
            ended = true;
            ctx.close();
            streamEnded(session, ok);
        }
    }
}
