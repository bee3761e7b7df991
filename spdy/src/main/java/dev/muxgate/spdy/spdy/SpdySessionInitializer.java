package dev.muxgate.spdy.spdy;

import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.spdy.bridge.SessionIdentity;
import dev.muxgate.spdy.bridge.StreamBridge;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.spdy.SpdyFrameCodec;
import io.netty.handler.codec.spdy.SpdyVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Turns a TLS connection that negotiated {@code spdy/3.1} or {@code spdy/3} into a SPDY session:
 * Netty's frame codec (header blocks bounded, response headers compressed at zlib level 0), a
 * {@link SpdyServerSession}, and per stream a {@link SpdyStreamCodec} and the same
 * {@link StreamBridge} into the core that HTTP/2 streams use.
 */
public final class SpdySessionInitializer {

    /** The pipeline name of the session handler; closing a channel that has it sends GOAWAY. */
    public static final String SESSION_HANDLER = "spdy-session";

    public static final String SPDY_3_1 = "spdy/3.1";
    public static final String SPDY_3 = "spdy/3";

    /** The largest DATA frame the codec hands on; longer frames arrive in pieces of this size. */
    private static final int MAX_DATA_CHUNK = 16 * 1024;
    /**
     * Response headers are compressed at level 0 (stored blocks): real clients accept it, and it
     * removes the compression side channel (CRIME) that SPDY's shared zlib context opens.
     */
    private static final int HEADER_COMPRESSION_LEVEL = 0;
    private static final int ZLIB_WINDOW_BITS = 15;
    private static final int ZLIB_MEM_LEVEL = 8;

    private final SpdyLimits limits;
    private final HttpConnector connector;
    private final Duration shutdownGrace;

    /**
     * @param shutdownGrace how long a closing session waits, after its GOAWAY, for the streams it
     *                      already accepted to finish
     */
    public SpdySessionInitializer(SpdyLimits limits, HttpConnector connector, Duration shutdownGrace) {
        this.limits = limits;
        this.connector = connector;
        this.shutdownGrace = shutdownGrace;
    }

    /** Whether this initializer serves {@code protocol} (an ALPN/NPN name). */
    public static boolean serves(String protocol) {
        return SPDY_3_1.equals(protocol) || SPDY_3.equals(protocol);
    }

    /**
     * Installs the session on {@code pipeline}; {@code streamOpened} hears every new stream channel,
     * {@code malformed} every request refused (its reason).
     */
    public void configure(ChannelPipeline pipeline, SessionIdentity session, Consumer<Channel> streamOpened,
                          Consumer<String> malformed) {
        if (!serves(session.protocol())) {
            throw new IllegalArgumentException("not a SPDY protocol: " + session.protocol());
        }
        // SPDY/3 and SPDY/3.1 share the frame format (version 3); 3.1 adds the session window.
        SpdyFrameCodec codec = new SpdyFrameCodec(SpdyVersion.SPDY_3_1, MAX_DATA_CHUNK, limits.maxHeaderBlockBytes(),
                HEADER_COMPRESSION_LEVEL, ZLIB_WINDOW_BITS, ZLIB_MEM_LEVEL, true);
        boolean sessionWindow = SPDY_3_1.equals(session.protocol());
        // Reader idleness only, as for h2: an all-idle handler puts a listener on every write.
        pipeline.addLast("spdy-idle", new IdleStateHandler(limits.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("spdy", codec);
        pipeline.addLast(SESSION_HANDLER, new SpdyServerSession(limits, sessionWindow, shutdownGrace, malformed,
                stream -> {
                    streamOpened.accept(stream);
                    stream.pipeline().addLast("spdy-stream", new SpdyStreamCodec(stream.streamId(), malformed));
                    // The stream codec speaks HTTP/1.1 messages: they cross the plugin connection as
                    // objects, as h2's do, with no byte codec on either side.
                    stream.pipeline().addLast("bridge", new StreamBridge(connector,
                            session.forMessageStream(stream.streamId())));
                }));
    }

}
