package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bodies both ways: 64 MiB streamed with bounded memory over TCP and plugin connections (the far side
 * stalls for a while, so only back-pressure keeps the bytes from piling up in the core), chunked
 * requests with trailers, read-until-close responses re-chunked.
 */
@Timeout(60)
class ProxyBodyTest {

    static final long BIG = 64L << 20;
    /** Far below the body: what the core may hold at once (windows, water marks, allocator chunks). */
    static final long BOUND = 16L << 20;
    static final int PIECE = 64 * 1024;

    private TestOrigin origin;
    private RecordingAccessLog log;
    private ProxyCore core;

    @BeforeEach
    void start() throws Exception {
        origin = new TestOrigin();
        log = new RecordingAccessLog();
        core = TestCores.start(TestCores.config(origin.uri()), log);
    }

    @AfterEach
    void stop() {
        core.close();
        origin.close();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void bigUploadOverTcpStreamsWithBoundedMemory() throws Exception {
        byte[] piece = new byte[PIECE];
        try (RawClient c = new RawClient(core.listenAddress());
             TestCores.MemoryWatch watch = new TestCores.MemoryWatch()) {
            c.send("POST /sink?pauseAt=" + (8 << 20) + "&pauseMs=500 HTTP/1.1\r\nHost: a\r\nContent-Length: " + BIG
                    + "\r\n\r\n");
            OutputStream out = c.output();
            for (long sent = 0; sent < BIG; sent += PIECE) {
                out.write(piece);
            }
            out.flush();
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("got " + BIG, r.body());
            assertTrue(watch.peakGrowth() < BOUND, "core held " + watch.peakGrowth() + " bytes at once");
        }
        TransactionRecord rec = log.awaitUrl("/sink?pauseAt=" + (8 << 20) + "&pauseMs=500");
        assertEquals(BIG, rec.requestBodyBytes());
    }

    @Test
    void bigDownloadOverTcpStreamsWithBoundedMemory() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress());
             TestCores.MemoryWatch watch = new TestCores.MemoryWatch()) {
            c.send("GET /bytes/" + BIG + " HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read(false, () -> sleep(500));
            assertEquals(200, r.status);
            assertTrue(r.complete);
            assertEquals(BIG, r.bodyBytes);
            assertTrue(watch.peakGrowth() < BOUND, "core held " + watch.peakGrowth() + " bytes at once");
        }
        assertEquals(BIG, log.awaitUrl("/bytes/" + BIG).proxyBodyBytes());
    }

    /** Writes a body of {@code total} bytes in pooled pieces, only while the plugin side is writable. */
    private static final class Uploader extends ChannelInboundHandlerAdapter {
        final CompletableFuture<String> response = new CompletableFuture<>();
        private final HttpRequest head;
        private long left;
        private final StringBuilder body = new StringBuilder();

        Uploader(HttpRequest head, long total) {
            this.head = head;
            this.left = total;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.write(head);
            pump(ctx);
            ctx.fireChannelActive();
        }

        private void pump(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                int n = (int) Math.min(PIECE, left);
                ByteBuf buf = ctx.alloc().buffer(n);
                buf.writeZero(n);
                left -= n;
                ctx.write(left == 0 ? new DefaultLastHttpContent(buf) : new DefaultHttpContent(buf));
            }
            ctx.flush();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump(ctx);
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpContent c) {
                body.append(c.content().toString(StandardCharsets.UTF_8));
                if (msg instanceof LastHttpContent) {
                    response.complete(body.toString());
                }
            }
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            response.completeExceptionally(new AssertionError("plugin connection closed"));
        }
    }

    @Test
    void bigUploadOverAPluginConnectionStreamsWithBoundedMemory() throws Exception {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST,
                "/sink?pauseAt=" + (8 << 20) + "&pauseMs=500");
        head.headers().set("host", "a");
        HttpUtil.setContentLength(head, BIG);
        Uploader uploader = new Uploader(head, BIG);
        try (TestCores.MemoryWatch watch = new TestCores.MemoryWatch()) {
            Channel ch = core.connector().connect(ConnectOptions.builder(core.listenAddress()).pluginTag("h2").build(),
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpClientCodec(), uploader);
                        }
                    });
            assertEquals("got " + BIG, uploader.response.get(30, TimeUnit.SECONDS));
            assertTrue(watch.peakGrowth() < BOUND, "core held " + watch.peakGrowth() + " bytes at once");
            ch.close().sync();
        }
    }

    @Test
    void bigDownloadOverAPluginConnectionStreamsWithBoundedMemory() throws Exception {
        CompletableFuture<Long> received = new CompletableFuture<>();
        try (TestCores.MemoryWatch watch = new TestCores.MemoryWatch()) {
            Channel ch = core.connector().connect(ConnectOptions.builder(core.listenAddress()).build(),
                    new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel c) {
                            c.pipeline().addLast(new HttpClientCodec(), new ChannelInboundHandlerAdapter() {
                                long bytes;
                                boolean paused;

                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    if (msg instanceof HttpResponse r && r.status().code() != 200) {
                                        received.completeExceptionally(new AssertionError(r.status()));
                                    }
                                    if (msg instanceof HttpContent content) {
                                        bytes += content.content().readableBytes();
                                        if (!paused && bytes >= (8 << 20)) {
                                            // A slow reader: nothing more for half a second.
                                            paused = true;
                                            ctx.channel().config().setAutoRead(false);
                                            ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true),
                                                    500, TimeUnit.MILLISECONDS);
                                        }
                                        if (msg instanceof LastHttpContent) {
                                            received.complete(bytes);
                                        }
                                    }
                                    ReferenceCountUtil.release(msg);
                                }
                            });
                        }
                    });
            HttpRequest get = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bytes/" + BIG);
            get.headers().set("host", "a");
            ch.writeAndFlush(get);
            ch.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            assertEquals(BIG, received.get(30, TimeUnit.SECONDS));
            assertTrue(watch.peakGrowth() < BOUND, "core held " + watch.peakGrowth() + " bytes at once");
            ch.close().sync();
        }
    }

    @Test
    void chunkedRequestBodyAndTrailersReachTheOriginAndTrailersComeBack() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /trailers HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 11\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertTrue(r.chunked);
            assertEquals("body=11 trailers=x-sum:11;", r.body().toLowerCase());
            assertEquals("abc123", r.trailers.get("x-checksum").get(0));
        }
        TestOrigin.Seen seen = origin.take();
        assertEquals(11, seen.bodyBytes());
        assertEquals("chunked", seen.headers().get("transfer-encoding"));
        assertEquals(11, log.awaitUrl("/trailers").requestBodyBytes());
    }

    @Test
    void readUntilCloseResponseIsRechunkedForAnHttp11Client() throws Exception {
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("GET /noclen/100000 HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("chunked", r.header("transfer-encoding"));
            assertTrue(r.complete);
            assertEquals(100000, r.bodyBytes);
            // The client connection outlives the origin's.
            c.send("GET /again HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals("hello /again", c.read().body());
        }
        assertEquals(Result.TCP_MISS, log.awaitUrl("/noclen/100000").result());
    }

    @Test
    void slowUploadLongerThanTheResponseTimeoutStillSucceeds() throws Exception {
        core.close();
        OriginPoolConfig shortWait = new OriginPoolConfig(Duration.ofSeconds(2), Duration.ofMillis(300), 16,
                Duration.ofSeconds(30), 16);
        core = TestCores.start(TestCores.config(origin.uri()).withOrigins(shortWait), log);
        try (RawClient c = new RawClient(core.listenAddress())) {
            c.send("POST /sink HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n");
            for (int i = 0; i < 10; i++) {
                Thread.sleep(100);
                c.send("x");
            }
            RawClient.Response r = c.read();
            assertEquals(200, r.status, r.toString());
            assertEquals("got 10", r.body());
        }
    }
}
