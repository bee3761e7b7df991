package dev.muxgate.gateway.spdy;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
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
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A SPDY client over TLS on Netty's SPDY frame codec, speaking frames rather than HTTP so a test
 * can send what a careful client never would (bad headers, resets at a chosen moment, floods, raw
 * bytes) and see every frame the gateway answers. It credits the windows back as it reads unless
 * told not to.
 */
final class SpdyClient implements AutoCloseable {

    final Channel channel;
    final String protocol;
    private final EventLoopGroup group;
    private final int port;
    private final Map<Integer, Stream> streams = new ConcurrentHashMap<>();
    private final AtomicInteger nextStreamId = new AtomicInteger(1);
    final BlockingQueue<Integer> pings = new LinkedBlockingQueue<>();
    final CompletableFuture<SpdyGoAwayFrame> goAway = new CompletableFuture<>();
    final CompletableFuture<SpdySettingsFrame> settings = new CompletableFuture<>();
    final AtomicLong sessionWindowUpdates = new AtomicLong();
    volatile boolean creditWindows = true;

    private SpdyClient(EventLoopGroup group, Channel channel, String protocol, int port) {
        this.group = group;
        this.channel = channel;
        this.protocol = protocol;
        this.port = port;
    }

    static SpdyClient connect(int port, String protocol) throws Exception {
        return connect(port, protocol, 64 * 1024);
    }

    /** @param windowBytes the stream (and for spdy/3.1 the session) receive window the client grants */
    static SpdyClient connect(int port, String protocol, int windowBytes) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            SslContext ssl = SslContextBuilder.forClient()
                    .sslProvider(SslProvider.JDK)
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocol))
                    .build();
            SpdyClient[] self = new SpdyClient[1];
            Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(ssl.newHandler(c.alloc(), "127.0.0.1", port));
                            c.pipeline().addLast(new SpdyFrameCodec(SpdyVersion.SPDY_3_1, false));
                            c.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    self[0].onFrame(msg);
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    self[0].streams.values().forEach(s -> s.end.complete("closed"));
                                    self[0].goAway.completeExceptionally(new IllegalStateException("closed"));
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            SpdyClient client = new SpdyClient(group, ch, protocol, port);
            self[0] = client;
            SslHandler sslHandler = ch.pipeline().get(SslHandler.class);
            sslHandler.handshakeFuture().sync();
            if (!protocol.equals(sslHandler.applicationProtocol())) {
                throw new AssertionError(protocol + " not negotiated: " + sslHandler.applicationProtocol());
            }
            SpdySettingsFrame mine = new DefaultSpdySettingsFrame();
            mine.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, windowBytes);
            ch.write(mine);
            if (protocol.equals("spdy/3.1") && windowBytes > 65_536) {
                ch.write(new DefaultSpdyWindowUpdateFrame(0, windowBytes - 65_536));
            }
            ch.flush();
            return client;
        } catch (Exception | Error e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** A SYN_STREAM with SPDY/3's five request headers, not validated; send it with {@link #send}. */
    SpdySynStreamFrame request(String method, String path, boolean last) {
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(nextStreamId.getAndAdd(2), 0, (byte) 0, false);
        syn.headers().set(":method", method).set(":path", path).set(":version", "HTTP/1.1")
                .set(":host", "127.0.0.1:" + port).set(":scheme", "https");
        syn.setLast(last);
        return syn;
    }

    /** Sends {@code syn} and records its stream. */
    Stream open(SpdySynStreamFrame syn) {
        Stream s = new Stream(syn.streamId());
        streams.put(syn.streamId(), s);
        channel.writeAndFlush(syn);
        return s;
    }

    void send(Object frame) {
        channel.writeAndFlush(frame).syncUninterruptibly();
    }

    /** Bytes written under the frame codec: frames hand-made byte by byte. */
    void sendRaw(ByteBuf bytes) {
        channel.pipeline().context(SpdyFrameCodec.class).writeAndFlush(bytes).syncUninterruptibly();
    }

    int nextStreamId() {
        return nextStreamId.getAndAdd(2);
    }

    private void onFrame(Object msg) {
        try {
            if (msg instanceof SpdyDataFrame data) {
                Stream s = streams.get(data.streamId());
                int n = data.content().readableBytes();
                if (s != null) {
                    s.onData(data.content(), data.isLast());
                }
                if (creditWindows && n > 0) {
                    if (!data.isLast()) {
                        channel.write(new DefaultSpdyWindowUpdateFrame(data.streamId(), n));
                    }
                    if (protocol.equals("spdy/3.1")) {
                        channel.write(new DefaultSpdyWindowUpdateFrame(0, n));
                    }
                    channel.flush();
                }
            } else if (msg instanceof SpdySynReplyFrame reply) {
                Stream s = streams.get(reply.streamId());
                if (s != null) {
                    s.head.complete(reply.headers());
                    if (reply.isLast()) {
                        s.end.complete("end");
                    }
                }
            } else if (msg instanceof SpdyHeadersFrame headers) {
                Stream s = streams.get(headers.streamId());
                if (s != null && headers.isLast()) {
                    s.end.complete("end");
                }
            } else if (msg instanceof SpdyRstStreamFrame rst) {
                Stream s = streams.computeIfAbsent(rst.streamId(), Stream::new);
                s.resetCode = rst.status().code();
                s.end.complete("reset " + rst.status().code());
            } else if (msg instanceof SpdyPingFrame ping) {
                pings.add(ping.id());
            } else if (msg instanceof SpdyGoAwayFrame away) {
                goAway.complete(away);
            } else if (msg instanceof SpdySettingsFrame s) {
                settings.complete(s);
            } else if (msg instanceof io.netty.handler.codec.spdy.SpdyWindowUpdateFrame w) {
                if (w.streamId() == 0) {
                    sessionWindowUpdates.addAndGet(w.deltaWindowSize());
                } else {
                    stream(w.streamId()).sendCredit.addAndGet(w.deltaWindowSize());
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** The stream that a RST_STREAM (or anything) named, whether or not this client opened it. */
    Stream stream(int id) {
        return streams.computeIfAbsent(id, Stream::new);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** What one stream got back: the reply head, the body (kept when small), the end or reset. */
    static final class Stream {
        final int id;
        final CompletableFuture<SpdyHeaders> head = new CompletableFuture<>();
        final CompletableFuture<String> end = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        /** What the gateway let us send on this stream beyond the initial window. */
        final AtomicLong sendCredit = new AtomicLong();
        volatile int resetCode = -1;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private static final int KEEP = 1 << 20;

        Stream(int id) {
            this.id = id;
        }

        void onData(ByteBuf content, boolean last) {
            long total = bytes.addAndGet(content.readableBytes());
            if (total <= KEEP) {
                synchronized (body) {
                    byte[] bytes = new byte[content.readableBytes()];
                    content.getBytes(content.readerIndex(), bytes);
                    body.write(bytes, 0, bytes.length);
                }
            }
            if (last) {
                end.complete("end");
            }
        }

        String status() throws Exception {
            return head.get(30, TimeUnit.SECONDS).getAsString(":status");
        }

        String awaitEnd() throws Exception {
            return end.get(60, TimeUnit.SECONDS);
        }

        String body() {
            synchronized (body) {
                return body.toString(StandardCharsets.ISO_8859_1);
            }
        }
    }
}
