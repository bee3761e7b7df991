package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The pipeline of every client connection of the core: the same for a TCP connection accepted on
 * the core's listener and for the core side of a plugin connection. One code path for both; a
 * plugin that exchanges decoded HTTP messages ({@link ConnectOptions#httpMessages()}) skips only the
 * byte codec, never the state machine or its checks. Each connection takes the configuration
 * generation that is current when it is accepted and keeps it until it closes.
 */
final class CoreChannelInitializer implements Consumer<Channel> {

    /** Body pieces handed on at most this large, so one piece never pins much memory. */
    static final int MAX_CHUNK = 64 * 1024;

    private final AtomicReference<CoreContext> current;

    CoreChannelInitializer(CoreContext core) {
        this.current = new AtomicReference<>(core);
    }

    /** The generation new connections get. */
    CoreContext current() {
        return current.get();
    }

    /** Makes {@code next} the generation of new connections; returns the one it replaces. */
    CoreContext swap(CoreContext next) {
        return current.getAndSet(next);
    }

    @Override
    public void accept(Channel ch) {
        CoreContext core = hold();
        ch.closeFuture().addListener(f -> core.release());
        LimitsConfig limits = core.config.limits();
        ClientConnectionHandler handler = new ClientConnectionHandler(core);
        ChannelPipeline p = ch.pipeline();
        // Also in front of decoded messages: each body piece is progress for the body time-out.
        p.addLast("bytes", new ClientBytesObserver(handler));
        ConnectOptions plugin = ch.attr(ConnectOptions.ATTRIBUTE).get();
        if (plugin == null || !plugin.httpMessages()) {
            HttpDecoderConfig decoder = new HttpDecoderConfig()
                    .setMaxInitialLineLength(limits.requestLineBytes())
                    .setMaxHeaderSize(limits.headerBytes())
                    .setMaxChunkSize(MAX_CHUNK)
                    .setStrictLineParsing(true);
            p.addLast("http", new HttpServerCodec(decoder, limits.pipelinedRequests() + 1));
        }
        p.addLast("proxy", handler);
    }

    /** The current generation, held; a reload between the read and the hold means read again. */
    private CoreContext hold() {
        while (true) {
            CoreContext core = current.get();
            if (core.tryHold()) {
                return core;
            }
        }
    }
}
