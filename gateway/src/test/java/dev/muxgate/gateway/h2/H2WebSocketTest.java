package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * WebSockets over HTTP/2 (RFC 8441) through the real gateway to the demo origin's echo: the setting
 * is advertised (as nghttp sees it), an extended CONNECT opens a tunnel whose DATA frames carry
 * WebSocket frames both ways (a message larger than the stream window included, so flow control
 * paces it), the tunnel's end is a clean end of stream, its access-log line is tagged h2, and a
 * plain CONNECT is reset.
 */
@Timeout(90)
class H2WebSocketTest {

    @TempDir
    static Path dir;
    private static H2Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = H2Gateway.start(dir);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theGatewayAdvertisesExtendedConnect() throws Exception {
        assumeTrue(Tool.installed("nghttp"), "nghttp is installed by bin/test-setup");
        Tool.Result r = Tool.run(dir, 30, "nghttp", "-nv", gateway.url("/"));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("SETTINGS_ENABLE_CONNECT_PROTOCOL(0x08):1"), r.stdout());
    }

    @Test
    void anExtendedConnectTunnelsWebSocketFramesToTheDemoEcho() throws Exception {
        byte[] big = new byte[200_000];
        ThreadLocalRandom.current().nextBytes(big);
        try (H2Client client = H2Client.connect(gateway.port(), 65_535)) {
            Tunnel tunnel = new Tunnel();
            Http2StreamChannel stream = client.open(tunnel);
            Http2Headers connect = client.request("CONNECT", "/ws").add(":protocol", "websocket")
                    .add("sec-websocket-version", "13");
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(connect, false)).sync();
            Http2Headers head = tunnel.head.get(30, TimeUnit.SECONDS);
            assertEquals("200", head.status().toString(), head.toString());

            stream.writeAndFlush(new DefaultHttp2DataFrame(clientFrame(1, "hello over h2".getBytes(StandardCharsets.UTF_8)),
                    false)).sync();
            assertEquals("hello over h2", new String(tunnel.nextPayload(), StandardCharsets.UTF_8));
            // Larger than the 64 KiB stream windows both ways: it crosses only as windows open.
            stream.writeAndFlush(new DefaultHttp2DataFrame(clientFrame(2, big), false)).sync();
            assertArrayEquals(big, tunnel.nextPayload());

            stream.writeAndFlush(new DefaultHttp2DataFrame(clientFrame(8, new byte[] {3, (byte) 0xe8}), false)).sync();
            assertEquals("end", tunnel.end.get(30, TimeUnit.SECONDS), "the tunnel ends with END_STREAM, no reset");
        }
        // The gateway is shared by this class's tests: wait for this line, not for a count of lines.
        List<String[]> lines = gateway.awaitLine("the tunnel's", f -> f[H2Gateway.URL].endsWith("/ws"));
        String[] line = lines.stream().filter(f -> f[H2Gateway.URL].endsWith("/ws")).findFirst()
                .orElseThrow(() -> new AssertionError(H2Gateway.show(lines)));
        assertEquals("h2", line[H2Gateway.PITAG]);
        assertEquals("GET", line[H2Gateway.METHOD]);
        assertEquals("101", line[H2Gateway.PSSC]);
        assertTrue(Long.parseLong(line[H2Gateway.PSQL]) > big.length, "bytes to the client counted");
    }

    @Test
    void aPlainConnectIsReset() throws Exception {
        try (H2Client client = H2Client.connect(gateway.port(), 65_535)) {
            H2Client.Recorder recorder = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(recorder);
            Http2Headers connect = new io.netty.handler.codec.http2.DefaultHttp2Headers(false).method("CONNECT")
                    .authority("127.0.0.1:" + gateway.port());
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(connect, false)).sync();
            assertEquals("reset " + Http2Error.PROTOCOL_ERROR.code(), recorder.awaitEnd());
        }
    }

    /** One masked, final WebSocket frame, as a client sends it. */
    private static ByteBuf clientFrame(int opcode, byte[] payload) {
        ByteBuf b = Unpooled.buffer(payload.length + 14);
        b.writeByte(0x80 | opcode);
        if (payload.length < 126) {
            b.writeByte(0x80 | payload.length);
        } else if (payload.length < 65536) {
            b.writeByte(0x80 | 126).writeShort(payload.length);
        } else {
            b.writeByte(0x80 | 127).writeLong(payload.length);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        b.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            b.writeByte(payload[i] ^ mask[i & 3]);
        }
        return b;
    }

    /** The client end of the tunnel: the response head, then WebSocket frames parsed from DATA. */
    private static final class Tunnel extends ChannelInboundHandlerAdapter {
        final CompletableFuture<Http2Headers> head = new CompletableFuture<>();
        final CompletableFuture<String> end = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final java.util.concurrent.BlockingQueue<byte[]> payloads = new java.util.concurrent.LinkedBlockingQueue<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof Http2HeadersFrame h) {
                    head.complete(h.headers());
                } else if (msg instanceof Http2DataFrame d) {
                    d.content().readBytes(bytes, d.content().readableBytes());
                    parse();
                    if (d.isEndStream()) {
                        end.complete("end");
                    }
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof io.netty.handler.codec.http2.Http2ResetFrame r) {
                end.complete("reset " + r.errorCode());
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            end.complete("closed");
            ctx.fireChannelInactive();
        }

        /** Takes every whole server frame (unmasked) off the front of what arrived. */
        private void parse() {
            for (;;) {
                byte[] all = bytes.toByteArray();
                if (all.length < 2) {
                    return;
                }
                int len = all[1] & 0x7f;
                int at = 2;
                long n = len;
                if (len == 126) {
                    if (all.length < 4) {
                        return;
                    }
                    n = ((all[2] & 0xff) << 8) | (all[3] & 0xff);
                    at = 4;
                } else if (len == 127) {
                    if (all.length < 10) {
                        return;
                    }
                    n = 0;
                    for (int i = 0; i < 8; i++) {
                        n = (n << 8) | (all[2 + i] & 0xff);
                    }
                    at = 10;
                }
                if (all.length < at + n) {
                    return;
                }
                byte[] payload = java.util.Arrays.copyOfRange(all, at, (int) (at + n));
                if ((all[0] & 0x0f) != 8) {
                    payloads.add(payload);
                }
                bytes.reset();
                bytes.write(all, (int) (at + n), all.length - (int) (at + n));
            }
        }

        byte[] nextPayload() throws InterruptedException {
            byte[] p = payloads.poll(30, TimeUnit.SECONDS);
            if (p == null) {
                throw new AssertionError("no WebSocket frame came back");
            }
            return p;
        }
    }
}
