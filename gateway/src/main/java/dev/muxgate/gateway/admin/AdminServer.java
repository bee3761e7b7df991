package dev.muxgate.gateway.admin;

import dev.muxgate.httpcore.origin.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener: a small HTTP/1.1 server, on loopback by default, serving {@code /metrics}
 * (Prometheus text), {@code /health} (503 while draining, so a load balancer stops sending) and
 * {@code /sessions} (the live client sessions as JSON). It runs on an event loop group it is given
 * (normally the gateway's own); every page is built from memory, without blocking.
 */
public final class AdminServer implements AutoCloseable {

    /** Admin requests are GETs; anything with a body beyond this is refused with 413. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;
    /** An idle admin connection (a scraper's keep-alive) is closed after this many seconds. */
    static final int IDLE_SECONDS = 60;

    private final Channel listener;
    private final ChannelGroup connections;
    private final AdminHandler handler;

    private AdminServer(Channel listener, ChannelGroup connections, AdminHandler handler) {
        this.listener = listener;
        this.connections = connections;
        this.handler = handler;
    }

    /**
     * Binds {@code config.host():config.port()} on {@code group} with {@code transport}'s server
     * channel and starts serving. A bind failure is an {@link IllegalStateException} whose message
     * names the admin address and the system's reason.
     */
    public static AdminServer start(AdminConfig config, EventLoopGroup group, Transport transport,
                                    GatewayMetrics metrics, LiveSessions sessions) throws InterruptedException {
        return start(config, group, transport.serverChannelClass(), metrics, sessions);
    }

    /** Like {@link #start(AdminConfig, EventLoopGroup, Transport, GatewayMetrics, LiveSessions)}, with a server channel class. */
    public static AdminServer start(AdminConfig config, EventLoopGroup group,
                                    Class<? extends ServerChannel> channelClass,
                                    GatewayMetrics metrics, LiveSessions sessions) throws InterruptedException {
        if (!config.enabled()) {
            throw new IllegalArgumentException("the admin listener is disabled in the configuration");
        }
        ChannelGroup connections = new DefaultChannelGroup("muxgate-admin", GlobalEventExecutor.INSTANCE);
        AdminHandler handler = new AdminHandler(metrics, sessions);
        ChannelFuture bound = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        connections.add(ch);
                        ch.pipeline().addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
                        ch.pipeline().addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                .setMaxInitialLineLength(4096)
                                .setMaxHeaderSize(MAX_REQUEST_BYTES)));
                        ch.pipeline().addLast("keep-alive", new HttpServerKeepAliveHandler());
                        ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_REQUEST_BYTES));
                        ch.pipeline().addLast("admin", handler);
                    }
                })
                .bind(config.host(), config.port())
                .await();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IllegalStateException("admin listener cannot listen on " + config.host() + ':' + config.port()
                    + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()),
                    cause);
        }
        return new AdminServer(bound.channel(), connections, handler);
    }

    /** The bound address (the real port when configured with port 0). */
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** From now on {@code /health} answers 503 {@code draining} (true) or 200 {@code ok} (false). */
    public void setDraining(boolean draining) {
        handler.setDraining(draining);
    }

    public boolean draining() {
        return handler.draining();
    }

    /** Stops listening and closes open admin connections; waits for both. Not from an event loop. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        connections.close().awaitUninterruptibly();
    }
}
