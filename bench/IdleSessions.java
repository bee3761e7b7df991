import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens and holds many idle TLS HTTP/2 sessions for bench/idle-100k.sh: the same session shape as
 * the shared harness's idle.py (full handshake, ALPN h2 only, no ticket, client preface + empty
 * SETTINGS, ACK of the server's SETTINGS, then only PING answers), but in one Netty event loop so a
 * client can hold 100,000 of them, and bound to several 127.0.0.x source addresses because one
 * source address runs out of ephemeral ports near 28,000.
 *
 * <p>{@code java -cp 'gateway/target/lib/*' bench/IdleSessions.java HOST PORT COUNT SOURCES
 * [CONCURRENCY] [HOLD_SECONDS]}: SOURCES is how many addresses from 127.0.0.2 up. Prints a
 * progress line every 5 s, then {@code open=N fail=F noh2=X secs=S}, holds the sessions until its
 * standard input closes or HOLD_SECONDS pass, and prints {@code peer_closed=P} before closing them.
 */
public final class IdleSessions {

    private static final byte[] PREFACE_AND_SETTINGS = concat(
            "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
            new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0});
    private static final byte[] SETTINGS_ACK = {0, 0, 0, 4, 1, 0, 0, 0, 0};
    private static final int STEP_TIMEOUT_MS = 20_000;

    private final AtomicLong open = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong noH2 = new AtomicLong();
    private final AtomicLong peerClosed = new AtomicLong();
    private volatile boolean holding;
    private volatile String firstError = "";

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        int sources = Integer.parseInt(args[3]);
        int concurrency = args.length > 4 ? Integer.parseInt(args[4]) : 128;
        long holdSeconds = args.length > 5 ? Long.parseLong(args[5]) : 600;
        new IdleSessions().run(host, port, count, sources, concurrency, holdSeconds);
    }

    private void run(String host, int port, int count, int sources, int concurrency, long holdSeconds)
            throws Exception {
        SslContext tls = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                        SelectorFailureBehavior.NO_ADVERTISE,
                        SelectedListenerFailureBehavior.ACCEPT, "h2"))
                .build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Semaphore inFlight = new Semaphore(concurrency);
        Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, STEP_TIMEOUT_MS)
                .option(ChannelOption.SO_RCVBUF, 4096)
                .option(ChannelOption.SO_SNDBUF, 4096);
        long start = System.nanoTime();
        Thread progress = progressPrinter(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            InetSocketAddress source = new InetSocketAddress("127.0.0." + (2 + i % sources), 0);
            Bootstrap one = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    // No peer host: the client session cache stays out, so every session is a full handshake.
                    SslHandler ssl = tls.newHandler(ch.alloc());
                    ssl.setHandshakeTimeoutMillis(STEP_TIMEOUT_MS);
                    ch.pipeline().addLast(ssl, new IdleH2Session(inFlight));
                }
            });
            ChannelFuture connect = one.connect(new InetSocketAddress(host, port), source);
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    fail(f.cause());
                    inFlight.release();
                }
            });
        }
        inFlight.acquire(concurrency);
        progress.interrupt();
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("open=%d fail=%d noh2=%d secs=%.1f %s%n", open.get(), failed.get(),
                noH2.get(), secs, firstError);
        holding = true;
        Thread stdinWatch = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // drain until the script closes our input
                }
            } catch (Exception ignored) {
                // closed either way
            }
        });
        stdinWatch.setDaemon(true);
        stdinWatch.start();
        stdinWatch.join(TimeUnit.SECONDS.toMillis(holdSeconds));
        System.out.printf("peer_closed=%d%n", peerClosed.get());
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private Thread progressPrinter(int count) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(5000);
                    System.err.printf("idle-sessions: %d/%d open, %d failed%n", open.get(), count,
                            failed.get());
                }
            } catch (InterruptedException done) {
                // all attempted
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void fail(Throwable cause) {
        if (failed.incrementAndGet() == 1) {
            firstError = String.valueOf(cause);
        }
    }

    /** One session: waits for the handshake and the server's SETTINGS, then idles. */
    private final class IdleH2Session extends ChannelInboundHandlerAdapter {
        private final Semaphore inFlight;
        private ByteBuf pending = Unpooled.EMPTY_BUFFER;
        private boolean established;
        private boolean released;

        IdleH2Session(Semaphore inFlight) {
            this.inFlight = inFlight;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                if (!done.isSuccess()) {
                    fail(done.cause());
                    finishAttempt();
                    ctx.close();
                    return;
                }
                String alpn = ctx.pipeline().get(SslHandler.class).applicationProtocol();
                if (!"h2".equals(alpn)) {
                    noH2.incrementAndGet();
                    finishAttempt();
                    ctx.close();
                    return;
                }
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PREFACE_AND_SETTINGS));
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            ByteBuf all = pending.isReadable() ? Unpooled.wrappedBuffer(pending, in) : in;
            while (all.readableBytes() >= 9) {
                int length = all.getUnsignedMedium(all.readerIndex());
                if (all.readableBytes() < 9 + length) {
                    break;
                }
                int type = all.getUnsignedByte(all.readerIndex() + 3);
                int flags = all.getUnsignedByte(all.readerIndex() + 4);
                if (type == 4 && (flags & 1) == 0 && !established) {
                    established = true;
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(SETTINGS_ACK));
                    open.incrementAndGet();
                    finishAttempt();
                } else if (type == 6 && (flags & 1) == 0) {
                    ByteBuf ack = ctx.alloc().buffer(17);
                    ack.writeMedium(8).writeByte(6).writeByte(1).writeInt(0);
                    ack.writeBytes(all, all.readerIndex() + 9, 8);
                    ctx.writeAndFlush(ack);
                }
                all.skipBytes(9 + length);
            }
            pending = all.isReadable() ? Unpooled.copiedBuffer(all) : Unpooled.EMPTY_BUFFER;
            all.release();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            pending.release();
            if (established && holding) {
                peerClosed.incrementAndGet();
            } else if (!established) {
                if (!released) {
                    fail(new IllegalStateException("closed before the server's SETTINGS"));
                }
                finishAttempt();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!established && !released) {
                fail(cause);
                finishAttempt();
            }
            ctx.close();
        }

        private void finishAttempt() {
            if (!released) {
                released = true;
                inFlight.release();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
