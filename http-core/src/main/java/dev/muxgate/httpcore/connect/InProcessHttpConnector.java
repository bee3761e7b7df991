package dev.muxgate.httpcore.connect;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The {@link HttpConnector} of one proxy core: makes a {@link PipeChannel} pair, gives the core
 * side the core's connection pipeline (the same initializer its TCP listener uses) and the plugin
 * side the caller's handler, and registers both on the caller's event loop when there is one.
 */
public final class InProcessHttpConnector implements HttpConnector {

    private final SocketAddress coreAddress;
    private final Consumer<Channel> coreSideInitializer;
    private final EventLoopGroup fallbackGroup;

    /**
     * @param coreAddress         the core's listener address, used by {@link #connectTransparent}
     * @param coreSideInitializer installs the core's connection pipeline on a new core-side channel
     * @param fallbackGroup       loops for callers that are not on an event loop themselves
     */
    public InProcessHttpConnector(
            SocketAddress coreAddress, Consumer<Channel> coreSideInitializer, EventLoopGroup fallbackGroup) {
        this.coreAddress = Objects.requireNonNull(coreAddress, "coreAddress");
        this.coreSideInitializer = Objects.requireNonNull(coreSideInitializer, "coreSideInitializer");
        this.fallbackGroup = Objects.requireNonNull(fallbackGroup, "fallbackGroup");
    }

    @Override
    public Channel connect(ConnectOptions options, ChannelHandler pluginHandler) {
        Objects.requireNonNull(options, "options");
        SocketAddress clientSide = options.clientAddress() != null
                ? options.clientAddress()
                : new PluginAddress(options.pluginTag(), options.pluginId());
        PipeChannel[] pair = PipeChannel.newPair(clientSide, options.target());
        PipeChannel plugin = pair[0];
        PipeChannel core = pair[1];
        if (options.waterMark() != null) {
            plugin.config().setWriteBufferWaterMark(options.waterMark());
        }
        core.attr(ConnectOptions.ATTRIBUTE).set(options);
        coreSideInitializer.accept(core);
        if (pluginHandler != null) {
            plugin.pipeline().addLast(pluginHandler);
        }

        EventLoop loop = callerLoop();
        if (loop != null) {
            // On the caller's loop registration runs inline: both ends are active on return.
            loop.register(core);
            loop.register(plugin);
            return plugin;
        }
        loop = fallbackGroup.next();
        loop.register(core);
        ChannelFuture registered = loop.register(plugin);
        registered.syncUninterruptibly();
        return plugin;
    }

    @Override
    public Channel connectTransparent(InetSocketAddress client, InetSocketAddress server) {
        Objects.requireNonNull(server, "server");
        return connect(ConnectOptions.builder(coreAddress)
                .clientAddress(client)
                .transparentOrigin(server)
                .build());
    }

    private static EventLoop callerLoop() {
        EventExecutor current = ThreadExecutorMap.currentExecutor();
        return current instanceof EventLoop loop ? loop : null;
    }
}
