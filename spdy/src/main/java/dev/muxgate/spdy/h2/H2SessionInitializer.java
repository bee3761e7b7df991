package dev.muxgate.spdy.h2;

import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.spdy.bridge.SessionIdentity;
import dev.muxgate.spdy.bridge.StreamBridge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns a TLS connection that negotiated {@code h2} into an HTTP/2 session: Netty's frame codec
 * with its abuse guards on, a multiplexer, and per stream an {@link H2StreamCodec} and a
 * {@link StreamBridge} into the core.
 */
public final class H2SessionInitializer {

    /** Response heads from the core: generous, since the core already bounded what it accepts. */
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private final H2Limits limits;
    private final HttpConnector connector;
    private final Duration shutdownGrace;

    /**
     * @param shutdownGrace how long a closing session waits, after its GOAWAY, for the streams it
     *                      already accepted to finish
     */
    public H2SessionInitializer(H2Limits limits, HttpConnector connector, Duration shutdownGrace) {
        this.limits = limits;
        this.connector = connector;
        this.shutdownGrace = shutdownGrace;
    }

    /**
     * Installs the session on {@code pipeline}; {@code streamOpened} hears every new stream channel,
     * {@code malformed} every request refused (its reason).
     */
    public void configure(ChannelPipeline pipeline, SessionIdentity session, Consumer<Channel> streamOpened,
                          Consumer<String> malformed) {
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderListBytes())
                .initialWindowSize(limits.initialWindowBytes());
        Http2FrameCodec codec = Http2FrameCodecBuilder.forServer()
                .initialSettings(settings)
                .validateHeaders(true)
                .headerSensitivityDetector(NeverIndexedFields.INSTANCE)
                .decoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerWindow(), limits.resetWindowSeconds())
                .encoderEnforceMaxRstFramesPerWindow(limits.maxResetsPerWindow(), limits.resetWindowSeconds())
                .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
                .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxEmptyDataFrames())
                .decoderEnforceMaxSmallContinuationFrames(limits.maxSmallContinuations())
                // Closing the session is then graceful: GOAWAY, and the open streams may finish.
                .gracefulShutdownTimeoutMillis(shutdownGrace.toMillis())
                .build();
        pipeline.addLast("h2-idle", new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-idle-close", new IdleSessionCloser(codec));
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                streamOpened.accept(stream);
                stream.pipeline().addLast("h2-stream", new H2StreamCodec(malformed));
                stream.pipeline().addLast("bridge", new StreamBridge(connector,
                        session.forStream(stream.stream().id()), H2SessionInitializer::pluginCodec));
            }
        }));
    }

    private static ChannelHandler[] pluginCodec() {
        return new ChannelHandler[] {new HttpClientCodec(new HttpDecoderConfig()
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setStrictLineParsing(true), false, false)};
    }
}
