package dev.muxgate.httpcore.origin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The built-in demo origin behind {@code internal:demo}: a small page, an echo of the request, a
 * body of any requested size, a chosen status and a delayed answer. Enough to try the gateway and
 * to test it without a second process. One instance per core; {@link #close()} frees its buffer.
 */
public final class DemoOrigin implements AutoCloseable {

    /** Largest body {@code /bytes/N} serves: big enough for any download test, not unbounded. */
    public static final long MAX_BYTES = 64L * 1024 * 1024 * 1024;
    /** Longest {@code /delay/MS}. */
    public static final long MAX_DELAY_MILLIS = 120_000;

    static final int CHUNK = 16 * 1024;
    /** Where the WebSocket echo answers. */
    public static final String WS_PATH = "/ws";
    /** Largest WebSocket frame the echo takes: it holds each frame whole before echoing it. */
    public static final int MAX_WS_FRAME = 1024 * 1024;

    private final ByteBuf filler;

    public DemoOrigin() {
        byte[] bytes = new byte[CHUNK];
        Arrays.fill(bytes, (byte) 'x');
        for (int i = 63; i < CHUNK; i += 64) {
            bytes[i] = '\n';
        }
        filler = Unpooled.directBuffer(CHUNK).writeBytes(bytes);
    }

    ChannelHandler newHandler() {
        return new DemoOriginHandler(this);
    }

    /**
     * Answers the WebSocket handshake at {@code /ws} and then pings and closes; data frames go on to
     * the demo handler, which echoes them. Every other request passes by untouched.
     */
    ChannelHandler newWebSocketHandler() {
        return new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WS_PATH)
                // "/ws?room=1" too: browsers and tools add queries.
                .checkStartsWith(true)
                .maxFramePayloadLength(MAX_WS_FRAME)
                .allowExtensions(false)
                .build());
    }

    /** A view of {@code length} filler bytes sharing one buffer; every view holds a reference. */
    ByteBuf filler(int length) {
        return filler.retainedSlice(0, length);
    }

    static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // Views still in flight keep the memory alive until they are released in turn.
        if (filler.refCnt() > 0) {
            filler.release();
        }
    }
}
