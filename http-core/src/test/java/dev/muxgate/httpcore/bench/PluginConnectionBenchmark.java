package dev.muxgate.httpcore.bench;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.AccessLogs;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.origin.Transport;
import dev.muxgate.httpcore.proxy.ProxyCore;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * The plugin connection against the loopback socket it replaces, in one run and into one core:
 * {@code path=plugin} opens connections with {@link dev.muxgate.httpcore.connect.HttpConnector},
 * {@code path=loopback} dials the core's own TCP listener from the core's event loop. Both clients
 * speak through {@link HttpClientCodec}; the origin side (the built-in demo origin, or a tiny
 * HTTP/1.1 server over loopback TCP) is the same for both.
 *
 * <p>Every operation is driven from the core's single event loop: the JMH thread starts a batch of
 * operations with {@value #CONCURRENCY} in flight and waits for it. Every response is checked
 * (status 200, exactly {@value #BODY_BYTES} body bytes); one wrong answer fails the run, because a
 * benchmark that measures errors measures nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
public class PluginConnectionBenchmark {

    static final int CONCURRENCY = 8;
    static final int CONNECT_OPS = 2_000;
    static final int KEPT_OPS = 10_000;
    static final int BODY_BYTES = 1024;
    static final String TARGET = "/bytes/" + BODY_BYTES;
    /** A batch that takes this long is stuck, not slow. */
    static final long BATCH_TIMEOUT_SECONDS = 30;

    /** {@code plugin}: in-process pair; {@code loopback}: TCP to the core's own listener. */
    @Param({"plugin", "loopback"})
    public String path;

    /** {@code demo}: the built-in in-process origin; {@code tcp}: an HTTP/1.1 origin over loopback. */
    @Param({"demo", "tcp"})
    public String origin;

    /** {@code discard}: a no-op access log; {@code file}: the real async writer to a temp file. */
    @Param({"discard"})
    public String accessLog;

    private ProxyCore core;
    private EventLoop loop;
    private EventLoopGroup originGroup;
    private Channel originListener;
    private Path logDir;
    private Exchanges exchanges;

    @Setup(Level.Trial)
    public void start(BenchmarkParams params) throws Exception {
        try {
            startAll(params);
        } catch (Exception | Error e) {
            // JMH skips the tear-down of a failed set-up; without this the core's loop keeps the fork alive.
            stop();
            throw e;
        }
    }

    private void startAll(BenchmarkParams params) throws Exception {
        CoreConfig config = CoreConfig.defaults().withListener(new ListenerConfig(true, "127.0.0.1", 0));
        if ("tcp".equals(origin)) {
            originGroup = Transport.detect().newGroup(1, "bench-origin");
            originListener = startOrigin(originGroup);
            int port = ((InetSocketAddress) originListener.localAddress()).getPort();
            config = config.withRemap(List.of(
                    new RemapRule("*", "/", URI.create("http://127.0.0.1:" + port + "/"))));
        } else if (!"demo".equals(origin)) {
            throw new IllegalArgumentException("origin must be demo or tcp, got " + origin);
        }
        AccessLog log;
        if ("file".equals(accessLog)) {
            logDir = Files.createTempDirectory("muxgate-bench-log");
            AccessLogConfig defaults = AccessLogConfig.defaults();
            config = config.withAccessLog(new AccessLogConfig(true, logDir.resolve("access.log"),
                    defaults.format(), 0, java.time.Duration.ZERO, 0, defaults.queueLines()));
            log = AccessLogs.open(config.accessLog());
        } else if ("discard".equals(accessLog)) {
            log = new DiscardingAccessLog();
        } else {
            throw new IllegalArgumentException("accessLog must be discard or file, got " + accessLog);
        }
        core = ProxyCore.builder(config).threads(1).accessLog(log).start();
        loop = core.workers().next();
        ClientPath client = switch (path) {
            case "plugin" -> new PluginPath(core);
            case "loopback" -> new LoopbackPath(core, loop);
            default -> throw new IllegalArgumentException("path must be plugin or loopback, got " + path);
        };
        exchanges = new Exchanges(loop, client);
        if (params.getBenchmark().endsWith("keptAliveGet")) {
            await(runOnLoop(exchanges::openKept), "opening " + CONCURRENCY + " kept-alive connections");
        }
        // A checked batch before anything is timed: a broken set-up fails here, not mid-run.
        await(runOnLoop(f -> exchanges.connectBatch(CONCURRENCY, f)), "first exchanges");
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        if (exchanges != null) {
            await(runOnLoop(exchanges::closeKept), "closing kept-alive connections");
            exchanges = null;
        }
        if (core != null) {
            core.close();
            core = null;
        }
        if (originListener != null) {
            originListener.close().syncUninterruptibly();
            originListener = null;
        }
        if (originGroup != null) {
            originGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            originGroup = null;
        }
        if (logDir != null) {
            try (Stream<Path> files = Files.walk(logDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** (a) A new connection, one GET, close: {@value #CONNECT_OPS} of them, {@value #CONCURRENCY} at a time. */
    @Benchmark
    @OperationsPerInvocation(CONNECT_OPS)
    public void connectGetClose() throws Exception {
        await(runOnLoop(f -> exchanges.connectBatch(CONNECT_OPS, f)), "connect batch");
    }

    /** (b) GETs on {@value #CONCURRENCY} kept-alive connections, one in flight on each. */
    @Benchmark
    @OperationsPerInvocation(KEPT_OPS)
    public void keptAliveGet() throws Exception {
        await(runOnLoop(f -> exchanges.keptBatch(KEPT_OPS, f)), "kept-alive batch");
    }

    // ---- plumbing between the JMH thread and the core's loop ----

    private interface LoopTask {
        void run(CompletableFuture<Void> done);
    }

    private CompletableFuture<Void> runOnLoop(LoopTask task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                task.run(done);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    private static void await(CompletableFuture<Void> done, String what) throws Exception {
        try {
            done.get(BATCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " did not finish within " + BATCH_TIMEOUT_SECONDS + " s", e);
        }
    }

    // ---- the two ways into the core ----

    /** Opens one client connection into the core with {@code handler} installed on it. */
    private interface ClientPath {
        /** Runs {@code onFailure} with the cause if the connection cannot be made. */
        void open(ChannelHandler handler, java.util.function.Consumer<Throwable> onFailure);
    }

    private static final class PluginPath implements ClientPath {
        private final ProxyCore core;
        private final ConnectOptions options;

        PluginPath(ProxyCore core) {
            this.core = core;
            this.options = ConnectOptions.builder(core.listenAddress()).pluginTag("bench").pluginId(1).build();
        }

        @Override
        public void open(ChannelHandler handler, java.util.function.Consumer<Throwable> onFailure) {
            // Called on the core's loop: both ends register there, active on return.
            core.connector().connect(options, handler);
        }
    }

    private static final class LoopbackPath implements ClientPath {
        private final Bootstrap bootstrap;
        private final InetSocketAddress address;

        LoopbackPath(ProxyCore core, EventLoop loop) {
            ChannelFactory<? extends Channel> sockets = Transport.socketFactoryFor(loop);
            if (sockets == null) {
                throw new IllegalStateException("the core's loop takes no sockets: " + loop);
            }
            this.address = core.listenAddress();
            this.bootstrap = new Bootstrap()
                    .group(loop)
                    .channelFactory(sockets)
                    .option(ChannelOption.TCP_NODELAY, true);
        }

        @Override
        public void open(ChannelHandler handler, java.util.function.Consumer<Throwable> onFailure) {
            bootstrap.clone().handler(handler).connect(address).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    onFailure.accept(f.cause());
                }
            });
        }
    }

    // ---- the driver: runs on the core's loop only ----

    /**
     * Runs batches of exchanges on the core's loop. Not thread-safe by design: every method runs on
     * {@link #loop}.
     */
    private static final class Exchanges {
        private final EventLoop loop;
        private final ClientPath client;
        private final List<Exchange> kept = new ArrayList<>();

        private CompletableFuture<Void> batch;
        private boolean keptMode;
        private int toStart;
        private int toFinish;

        Exchanges(EventLoop loop, ClientPath client) {
            this.loop = loop;
            this.client = client;
        }

        void connectBatch(int ops, CompletableFuture<Void> done) {
            begin(ops, done, false);
            for (int i = 0; i < CONCURRENCY && toStart > 0; i++) {
                openOneShot();
            }
        }

        void keptBatch(int ops, CompletableFuture<Void> done) {
            if (kept.size() != CONCURRENCY) {
                throw new IllegalStateException("kept-alive connections were not opened");
            }
            begin(ops, done, true);
            for (int i = 0; i < CONCURRENCY && toStart > 0; i++) {
                Exchange e = kept.get(i);
                toStart--;
                e.send();
            }
        }

        private void begin(int ops, CompletableFuture<Void> done, boolean kept) {
            if (batch != null && !batch.isDone()) {
                throw new IllegalStateException("a batch is still running");
            }
            batch = done;
            keptMode = kept;
            toStart = ops;
            toFinish = ops;
        }

        private void openOneShot() {
            toStart--;
            Exchange e = new Exchange(this, true);
            client.open(e.initializer(), this::fail);
        }

        /** Opens the kept-alive connections; completes when all are active. */
        void openKept(CompletableFuture<Void> done) {
            int[] waiting = {CONCURRENCY};
            for (int i = 0; i < CONCURRENCY; i++) {
                Exchange e = new Exchange(this, false);
                e.onActive = () -> {
                    if (--waiting[0] == 0) {
                        done.complete(null);
                    }
                };
                kept.add(e);
                client.open(e.initializer(), done::completeExceptionally);
            }
        }

        void closeKept(CompletableFuture<Void> done) {
            for (Exchange e : kept) {
                e.closing = true;
                if (e.channel != null) {
                    e.channel.close();
                }
            }
            kept.clear();
            done.complete(null);
        }

        /** One exchange answered correctly. */
        void answered(Exchange e) {
            if (!keptMode) {
                e.closing = true;
                e.channel.close();
            }
            if (batch == null || batch.isDone()) {
                // The warm-up exchange of a kept setup or a straggler after a failure: nothing to count.
                return;
            }
            if (--toFinish == 0) {
                batch.complete(null);
                return;
            }
            if (toStart > 0) {
                if (keptMode) {
                    toStart--;
                    e.send();
                } else {
                    openOneShot();
                }
            }
        }

        void fail(Throwable cause) {
            if (batch != null && !batch.isDone()) {
                batch.completeExceptionally(cause);
            }
        }
    }

    /**
     * The client side of one connection: sends {@code GET /bytes/1024} and checks the answer. A
     * one-shot exchange sends as soon as the connection is active; a kept one when told to.
     */
    private static final class Exchange extends ChannelInboundHandlerAdapter {
        private final Exchanges driver;
        private final boolean oneShot;
        Runnable onActive;
        Channel channel;
        boolean closing;

        private boolean awaiting;
        private boolean headSeen;
        private int status;
        private long bodyBytes;

        Exchange(Exchanges driver, boolean oneShot) {
            this.driver = driver;
            this.oneShot = oneShot;
        }

        ChannelHandler initializer() {
            Exchange self = this;
            return new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel ch) {
                    ch.pipeline().addLast("http", new HttpClientCodec());
                    ch.pipeline().addLast("check", self);
                }
            };
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            if (oneShot) {
                send();
            }
            if (onActive != null) {
                onActive.run();
            }
            ctx.fireChannelActive();
        }

        void send() {
            if (awaiting) {
                driver.fail(new IllegalStateException("a request is already in flight on " + channel));
                return;
            }
            if (channel == null || !channel.isActive()) {
                driver.fail(new IllegalStateException("connection is not open: " + channel));
                return;
            }
            awaiting = true;
            headSeen = false;
            status = 0;
            bodyBytes = 0;
            FullHttpRequest request = new DefaultFullHttpRequest(
                    HttpVersion.HTTP_1_1, HttpMethod.GET, TARGET, Unpooled.EMPTY_BUFFER);
            request.headers().set(HttpHeaderNames.HOST, "bench.muxgate.test");
            channel.writeAndFlush(request, channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (!(msg instanceof HttpObject http) || http.decoderResult().isFailure()) {
                    throw new IllegalStateException("undecodable response part: " + msg);
                }
                if (!awaiting) {
                    throw new IllegalStateException("response part nobody asked for: " + msg);
                }
                if (msg instanceof HttpResponse response) {
                    if (headSeen) {
                        throw new IllegalStateException("second response head: " + response);
                    }
                    headSeen = true;
                    status = response.status().code();
                }
                if (msg instanceof HttpContent content) {
                    bodyBytes += content.content().readableBytes();
                    if (content instanceof LastHttpContent) {
                        awaiting = false;
                        if (!headSeen || status != 200 || bodyBytes != BODY_BYTES) {
                            throw new IllegalStateException("wrong answer: status " + status + ", " + bodyBytes
                                    + " body bytes (want 200, " + BODY_BYTES + ")");
                        }
                        driver.answered(this);
                    }
                }
            } catch (RuntimeException e) {
                driver.fail(e);
                ctx.close();
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closing) {
                driver.fail(new IllegalStateException("the core closed the connection"
                        + (awaiting ? " before the response was complete" : "")));
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            driver.fail(cause);
            ctx.close();
        }
    }

    // ---- the loopback origin and the discarding log ----

    /** An HTTP/1.1 origin that answers any request with {@value #BODY_BYTES} bytes, kept alive. */
    private static Channel startOrigin(EventLoopGroup group) throws InterruptedException {
        Transport transport = Transport.detect();
        ByteBuf body = Unpooled.unreleasableBuffer(
                Unpooled.directBuffer(BODY_BYTES).writeZero(BODY_BYTES).asReadOnly());
        return new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannelClass())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new OriginHandler(body));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    private static final class OriginHandler extends ChannelInboundHandlerAdapter {
        private final ByteBuf body;
        private boolean keepAlive = true;

        OriginHandler(ByteBuf body) {
            this.body = body;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof HttpRequest request) {
                    keepAlive = HttpUtil.isKeepAlive(request);
                }
                if (msg instanceof LastHttpContent) {
                    FullHttpResponse response = new DefaultFullHttpResponse(
                            HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body.retainedDuplicate());
                    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM);
                    HttpUtil.setContentLength(response, BODY_BYTES);
                    if (keepAlive) {
                        ctx.write(response, ctx.voidPromise());
                    } else {
                        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                        ctx.writeAndFlush(response).addListener(f -> ctx.close());
                    }
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Keeps the figure about the connection path: finished transactions go nowhere. */
    private static final class DiscardingAccessLog implements AccessLog {
        @Override
        public void log(TransactionRecord record) {
        }

        @Override
        public void close() {
        }
    }
}
