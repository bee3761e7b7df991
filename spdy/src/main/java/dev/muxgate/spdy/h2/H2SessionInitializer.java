package dev.muxgate.spdy.h2;

import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.spdy.bridge.SessionIdentity;
import dev.muxgate.spdy.bridge.StreamBridge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2Connection;
import io.netty.handler.codec.http2.DefaultHttp2RemoteFlowController;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.UniformStreamByteDistributor;
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
     * {@code events} every request refused and every GOAWAY sent.
     */
    public void configure(ChannelPipeline pipeline, SessionIdentity session, Consumer<Channel> streamOpened,
                          H2SessionEvents events) {
        Http2Connection connection = uniformlyScheduledConnection();
        connection.addListener(new GoAwayReporter(events, pipeline.channel()));
        Http2Settings settings = Http2Settings.defaultSettings()
                .maxConcurrentStreams(limits.maxConcurrentStreams())
                .maxHeaderListSize(limits.maxHeaderListBytes())
                .initialWindowSize(limits.initialWindowBytes())
                // RFC 8441: WebSockets over HTTP/2 by extended CONNECT (H2RequestTranslator checks it).
                .connectProtocolEnabled(true);
        Http2FrameCodec codec = new SessionCodecBuilder(connection)
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
        codec.decoder().frameListener(new ControlFrameBudget(codec.decoder().frameListener(),
                limits.maxControlFramesPerRequest()));
        // Reader idleness only: an all-idle handler puts a listener on every write of the session,
        // and a session with no open stream has nothing to write anyway.
        pipeline.addLast("h2-idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("h2", codec);
        pipeline.addLast("h2-idle-close", new IdleSessionCloser(codec));
        pipeline.addLast("h2-streams", new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
            @Override
            protected void initChannel(Http2StreamChannel stream) {
                streamOpened.accept(stream);
                stream.pipeline().addLast("h2-stall", new StalledStreamGuard(limits.stalledStreamTimeout(),
                        events::streamStalled));
                stream.pipeline().addLast("h2-stream", new H2StreamCodec(events::malformedRequest));
                // The stream codec already speaks HTTP/1.1 messages: they cross the plugin
                // connection as objects, with no encoding on this side nor decoding on the core's.
                stream.pipeline().addLast("bridge", new StreamBridge(connector,
                        session.forMessageStream(stream.stream().id())));
            }
        }));
    }


    /**
     * A server connection whose streams share the connection window evenly, as Netflix Zuul does:
     * priorities are deprecated (RFC 9113 section 5.3), and the weighted distributor has thrown
     * IllegalArgumentException on some priority trees (netty/netty#10525).
     */
    private static Http2Connection uniformlyScheduledConnection() {
        Http2Connection connection = new DefaultHttp2Connection(true);
        connection.remote().flowController(
                new DefaultHttp2RemoteFlowController(connection, new UniformStreamByteDistributor(connection)));
        return connection;
    }

    /** Netty's frame codec builder, given a connection made here (its setter is protected). */
    private static final class SessionCodecBuilder extends Http2FrameCodecBuilder {
        SessionCodecBuilder(Http2Connection connection) {
            connection(connection);
        }
    }
}
