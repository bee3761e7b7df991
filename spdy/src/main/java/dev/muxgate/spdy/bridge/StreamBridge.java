package dev.muxgate.spdy.bridge;

import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.connect.HttpConnector;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Joins one client stream (an h2 or SPDY stream channel, or a whole HTTP/1.1 connection) to one
 * plugin connection into the proxy core, and relays messages both ways: what the stream reads is
 * written to the plugin connection, what the plugin connection reads is written to the stream.
 * The same class serves every protocol, and relays what it is given as it is: h2 and SPDY stream
 * codecs hand it HTTP messages (their plugin connections say so, {@code ConnectOptions.httpMessages}),
 * an HTTP/1.1 connection hands it bytes.
 *
 * <p>Backpressure runs both ways through writability and auto-read, so neither side ever holds a
 * whole body. Either side closing closes the other: a stream reset aborts the core's transaction
 * behind it, and a core that drops the connection ends the stream.
 */
public final class StreamBridge extends ChannelDuplexHandler {

    private final HttpConnector connector;
    private final ConnectOptions options;
    private ChannelHandlerContext streamCtx;
    private Channel plugin;
    private boolean pluginNeedsFlush;

    /**
     * @param connector the core's connector
     * @param options   tag, session number, stream id, client address, TLS facts, messages or bytes
     */
    public StreamBridge(HttpConnector connector, ConnectOptions options) {
        this.connector = connector;
        this.options = options;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        streamCtx = ctx;
        if (ctx.channel().isActive()) {
            open();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (plugin == null) {
            open();
        }
        ctx.fireChannelActive();
    }

    private void open() {
        plugin = connector.connect(options, new PluginSide());
    }

    /** The plugin connection; null before the stream is active. */
    public Channel pluginChannel() {
        return plugin;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel p = plugin;
        if (p == null || !p.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        p.write(msg, p.voidPromise());
        pluginNeedsFlush = true;
        if (!p.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (pluginNeedsFlush) {
            pluginNeedsFlush = false;
            plugin.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        Channel p = plugin;
        if (p != null) {
            p.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Channel p = plugin;
        if (p != null) {
            p.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    /** The plugin end: hands what the core answers to the stream, paced by the stream. */
    private final class PluginSide extends ChannelInboundHandlerAdapter {
        private boolean streamNeedsFlush;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Channel stream = streamCtx.channel();
            if (!stream.isActive()) {
                ReferenceCountUtil.release(msg);
                return;
            }
            // Written from the bridge's own context so the stream's outbound codecs see it.
            streamCtx.write(msg, streamCtx.voidPromise());
            streamNeedsFlush = true;
            if (!stream.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (streamNeedsFlush) {
                streamNeedsFlush = false;
                streamCtx.flush();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            streamCtx.channel().config().setAutoRead(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Goes out through the stream's codec, which resets a stream whose response is unfinished.
            streamCtx.flush();
            streamCtx.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
