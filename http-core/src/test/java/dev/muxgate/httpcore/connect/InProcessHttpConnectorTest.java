package dev.muxgate.httpcore.connect;

import static dev.muxgate.httpcore.connect.PipeRecorder.assertAllReleased;
import static dev.muxgate.httpcore.connect.PipeRecorder.await;
import static dev.muxgate.httpcore.connect.PipeRecorder.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The connector: which loop each end lands on, what the core side is given, the short forms. */
@Timeout(20)
class InProcessHttpConnectorTest {

    private static final InetSocketAddress CORE = new InetSocketAddress("127.0.0.1", 8080);

    private static EventLoopGroup fallback;
    private static EventLoopGroup callers;

    /** Core-side channels in the order the initializer saw them. */
    private final Queue<Channel> coreSides = new ConcurrentLinkedQueue<>();
    private final List<Channel> pluginSides = Collections.synchronizedList(new ArrayList<>());
    private final List<ByteBuf> sent = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startLoops() {
        fallback = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        callers = Epoll.isAvailable()
                ? new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory())
                : new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoops() {
        fallback.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        callers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        for (Channel ch : pluginSides) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel ch : coreSides) {
            assertTrue(ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS), "core side " + ch + " still open");
        }
        assertAllReleased(sent);
    }

    private HttpConnector connector(Consumer<Channel> coreInitializer) {
        return new InProcessHttpConnector(CORE, ch -> {
            coreSides.add(ch);
            coreInitializer.accept(ch);
        }, fallback);
    }

    private Channel track(Channel plugin) {
        pluginSides.add(plugin);
        return plugin;
    }

    @Test
    void connectFromAThreadThatIsNotAnEventLoopReturnsAnActiveChannel() throws Exception {
        PipeRecorder coreSeen = new PipeRecorder();
        Channel plugin = track(connector(ch -> ch.pipeline().addLast(coreSeen))
                .connect(ConnectOptions.builder(CORE).pluginTag("h2").pluginId(3).build()));

        assertTrue(plugin.isRegistered());
        assertTrue(plugin.isActive());
        Channel core = coreSides.peek();
        assertNotNull(core);
        assertSame(plugin.eventLoop(), core.eventLoop());
        assertTrue(fallback.next() == plugin.eventLoop(), "not on the fallback group");
        await(coreSeen.active, "the core side to be active");

        ByteBuf request = message(1, 64);
        sent.add(request);
        plugin.writeAndFlush(request);
        assertSame(request, coreSeen.nextRead(10));
        coreSeen.releaseReads();
    }

    @Test
    void connectFromInsideAnEventLoopPutsBothEndsOnThatLoop() throws Exception {
        EventLoop callerLoop = callers.next();
        HttpConnector connector = connector(ch -> { });
        AtomicReference<Channel> plugin = new AtomicReference<>();
        AtomicReference<Boolean> activeOnReturn = new AtomicReference<>();
        callerLoop.submit(() -> {
            Channel ch = connector.connectWithPluginId(CORE, "h2", 9);
            activeOnReturn.set(ch.isActive());
            plugin.set(ch);
        }).syncUninterruptibly();
        track(plugin.get());
        Channel core = coreSides.peek();

        assertTrue(activeOnReturn.get(), "the plugin side must be active when connect returns");
        assertSame(callerLoop, plugin.get().eventLoop());
        assertSame(callerLoop, core.eventLoop());
    }

    @Test
    void coreSideInitializerSeesTheConnectOptionsAndMirroredAddresses() {
        InetSocketAddress client = new InetSocketAddress("198.51.100.7", 50000);
        ConnectOptions options = ConnectOptions.builder(CORE).pluginTag("spdy/3.1").pluginId(77)
                .clientAddress(client).build();
        AtomicReference<ConnectOptions> seen = new AtomicReference<>();
        Channel plugin = track(connector(ch -> seen.set(ch.attr(ConnectOptions.ATTRIBUTE).get())).connect(options));
        Channel core = coreSides.peek();

        assertSame(options, seen.get(), "the initializer must see the options before anything runs");
        assertEquals(CORE, core.localAddress());
        assertEquals(client, core.remoteAddress(), "the core logs the real client");
        assertEquals(client, plugin.localAddress());
        assertEquals(CORE, plugin.remoteAddress());
        assertNull(plugin.attr(ConnectOptions.ATTRIBUTE).get(), "the attribute belongs to the core side");
    }

    @Test
    void withoutAClientAddressTheCoreSeesAPluginAddress() {
        track(connector(ch -> { }).connectWithPluginId(CORE, "h2", 12));
        assertEquals(new PluginAddress("h2", 12), coreSides.peek().remoteAddress());
    }

    @Test
    void connectWithPluginIdFillsTagIdAndTarget() {
        InetSocketAddress otherCore = new InetSocketAddress("127.0.0.1", 8081);
        track(connector(ch -> { }).connectWithPluginId(otherCore, "spdy/3", 5));
        ConnectOptions o = coreSides.peek().attr(ConnectOptions.ATTRIBUTE).get();
        assertEquals(otherCore, o.target());
        assertEquals("spdy/3", o.pluginTag());
        assertEquals(5, o.pluginId());
        assertNull(o.transparentOrigin());
    }

    @Test
    void connectTransparentFillsClientAndOriginAndTargetsTheCore() {
        InetSocketAddress client = new InetSocketAddress("198.51.100.8", 40001);
        InetSocketAddress server = new InetSocketAddress("203.0.113.5", 443);
        track(connector(ch -> { }).connectTransparent(client, server));
        Channel core = coreSides.peek();
        ConnectOptions o = core.attr(ConnectOptions.ATTRIBUTE).get();
        assertEquals(CORE, o.target());
        assertEquals(client, o.clientAddress());
        assertEquals(server, o.transparentOrigin());
        assertNull(o.pluginTag());
        assertEquals(0, o.pluginId());
        assertEquals(client, core.remoteAddress());
    }

    @Test
    void aPluginHandlerPassedToConnectSeesChannelActive() throws Exception {
        PipeRecorder pluginSeen = new PipeRecorder();
        Channel plugin = track(connector(ch -> { })
                .connect(ConnectOptions.builder(CORE).pluginTag("h2").build(), pluginSeen));
        await(pluginSeen.active, "channelActive on the plugin handler");
        assertSame(pluginSeen, plugin.pipeline().last());
    }

    @Test
    void aPluginHandlerPassedToConnectOnAnEventLoopSeesChannelActive() throws Exception {
        PipeRecorder pluginSeen = new PipeRecorder();
        HttpConnector connector = connector(ch -> { });
        Channel plugin = callers.next().submit(() -> connector.connect(
                ConnectOptions.builder(CORE).build(), pluginSeen)).syncUninterruptibly().getNow();
        track(plugin);
        await(pluginSeen.active, "channelActive on the plugin handler");
    }

    @Test
    void theCoreSideMayWriteAndCloseAsSoonAsItIsActive() throws Exception {
        // A core that refuses a connection answers and closes in channelActive, before the plugin
        // side is registered: the plugin must still see the answer and then the close.
        HttpConnector connector = connector(ch -> ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ByteBuf refusal = message(503, 64);
                sent.add(refusal);
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
            }
        }));
        for (boolean onLoop : new boolean[] {false, true}) {
            PipeRecorder pluginSeen = new PipeRecorder();
            ConnectOptions options = ConnectOptions.builder(CORE).build();
            Channel plugin = onLoop
                    ? callers.next().submit(() -> connector.connect(options, pluginSeen)).syncUninterruptibly().getNow()
                    : connector.connect(options, pluginSeen);
            track(plugin);
            Object first = pluginSeen.nextRead(10);
            assertEquals(503, PipeRecorder.seqOf(first));
            await(pluginSeen.inactive, "the plugin side to see the core's close");
            pluginSeen.releaseReads();
        }
    }

    @Test
    void theWaterMarkOptionSetsThePluginSide() {
        WriteBufferWaterMark marks = new WriteBufferWaterMark(2048, 4096);
        Channel plugin = track(connector(ch -> { })
                .connect(ConnectOptions.builder(CORE).waterMark(marks).build()));
        assertEquals(4096, plugin.config().getWriteBufferHighWaterMark());
        assertEquals(2048, plugin.config().getWriteBufferLowWaterMark());
    }

    @Test
    @Timeout(60)
    void fiveThousandPairsOpenExchangeAMessageEachWayAndCloseWithoutLeaks() throws Exception {
        int pairs = 5_000;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            CountDownLatch coreInactive = new CountDownLatch(pairs);
            CountDownLatch pluginInactive = new CountDownLatch(pairs);
            Queue<Channel> cores = new ConcurrentLinkedQueue<>();
            Queue<Channel> plugins = new ConcurrentLinkedQueue<>();
            Queue<ByteBuf> buffers = new ConcurrentLinkedQueue<>();
            Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

            // The core answers each request with one buffer; the plugin closes once it has the answer.
            HttpConnector connector = new InProcessHttpConnector(CORE, core -> {
                cores.add(core);
                core.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ReferenceCountUtil.release(msg);
                        ByteBuf answer = message(2, 128);
                        buffers.add(answer);
                        ctx.writeAndFlush(answer);
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        coreInactive.countDown();
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        errors.add(cause);
                    }
                });
            }, group);

            List<Future<?>> opening = new ArrayList<>();
            for (int i = 0; i < pairs; i++) {
                long id = i + 1;
                // Half are opened from inside a loop, half from this thread through the fallback.
                Runnable open = () -> {
                    Channel plugin = connector.connect(
                            ConnectOptions.builder(CORE).pluginTag("h2").pluginId(id).build(),
                            new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelActive(ChannelHandlerContext ctx) {
                                    ByteBuf request = message(1, 128);
                                    buffers.add(request);
                                    ctx.writeAndFlush(request);
                                }

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ReferenceCountUtil.release(msg);
                                    ctx.close();
                                }

                                @Override
                                public void channelInactive(ChannelHandlerContext ctx) {
                                    pluginInactive.countDown();
                                }

                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    errors.add(cause);
                                }
                            });
                    plugins.add(plugin);
                };
                if (i % 2 == 0) {
                    opening.add(group.next().submit(open));
                } else {
                    open.run();
                }
            }
            for (Future<?> f : opening) {
                f.syncUninterruptibly();
            }

            assertTrue(pluginInactive.await(30, TimeUnit.SECONDS),
                    pluginInactive.getCount() + " plugin sides never closed");
            assertTrue(coreInactive.await(30, TimeUnit.SECONDS),
                    coreInactive.getCount() + " core sides never saw the close");
            assertTrue(errors.isEmpty(), "errors: " + errors);
            assertEquals(pairs, plugins.size());
            assertEquals(pairs, cores.size());
            assertEquals(2 * pairs, buffers.size());
            for (Channel ch : plugins) {
                assertFalse(ch.isOpen(), ch + " stuck open");
            }
            for (Channel ch : cores) {
                assertFalse(ch.isOpen(), ch + " stuck open");
            }
            assertAllReleased(new ArrayList<>(buffers));
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
