package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.testing.LeakCheckExtension;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plugin connection that exchanges decoded HTTP messages ({@link ConnectOptions#httpMessages()}),
 * as the h2 and SPDY streams do: no byte codec on either side, and still the core's limits and
 * checks, the same as for bytes.
 */
@ExtendWith(LeakCheckExtension.class)
class MessagePluginConnectionTest {

    private final RecordingAccessLog log = new RecordingAccessLog();
    private ProxyCore core;
    private Channel plugin;
    private final BlockingQueue<FullHttpResponse> responses = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        core = TestCores.start(TestCores.demoConfig(), log);
        ConnectOptions options = ConnectOptions.builder(core.listenAddress())
                .pluginTag("h2").pluginId(7).streamId(1).httpMessages(true)
                .clientAddress(new InetSocketAddress("203.0.113.9", 4000))
                .build();
        plugin = core.connector().connect(options, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                // Messages in and out: an aggregator only, no codec.
                ch.pipeline().addLast(new HttpObjectAggregator(1 << 20),
                        new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                responses.add(r.retainedDuplicate());
                            }
                        });
            }
        });
    }

    @AfterEach
    void stop() {
        plugin.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        core.close();
        for (FullHttpResponse r; (r = responses.poll()) != null; ) {
            r.release();
        }
    }

    private FullHttpResponse next() throws InterruptedException {
        FullHttpResponse r = responses.poll(10, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no response on the plugin connection");
        }
        return r;
    }

    private static int statusOf(FullHttpResponse r) {
        try {
            return r.status().code();
        } finally {
            r.release();
        }
    }

    @Test
    void aHeadAndItsLastContentAreOneTransactionLoggedWithTheTag() throws Exception {
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/bytes/100");
        head.headers().set("host", "localhost");
        plugin.write(head);
        plugin.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        FullHttpResponse r = next();
        try {
            assertEquals(200, r.status().code());
            assertEquals(100, r.content().readableBytes());
        } finally {
            r.release();
        }
        List<TransactionRecord> records = log.awaitCount(1);
        assertEquals("h2", records.get(0).pluginTag());
        assertEquals(7, records.get(0).pluginId());
        assertEquals("203.0.113.9", records.get(0).clientIp());
    }

    @Test
    void aWholeRequestInOneObjectIsServedBodyAndAll() throws Exception {
        FullHttpRequest post = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/echo",
                Unpooled.copiedBuffer("hello through messages", StandardCharsets.US_ASCII));
        post.headers().set("host", "localhost").setInt("content-length", 22);
        plugin.writeAndFlush(post);
        FullHttpResponse r = next();
        try {
            assertEquals(200, r.status().code());
            assertTrue(r.content().toString(StandardCharsets.US_ASCII).endsWith("hello through messages"),
                    r.content().toString(StandardCharsets.US_ASCII));
        } finally {
            r.release();
        }
        // Keep-alive: the next request on the same connection is served too.
        plugin.writeAndFlush(get("/status/204"));
        assertEquals(204, statusOf(next()));
    }

    @Test
    void theCoresLineAndHeaderLimitsHoldWithoutItsDecoder() throws Exception {
        // TestCores.limits(): request line 8 KiB, header block 32 KiB.
        plugin.writeAndFlush(get("/" + "a".repeat(9 * 1024)));
        assertEquals(414, statusOf(next()));
    }

    @Test
    void aHeaderBlockOverTheLimitIsRefusedWithoutItsDecoder() throws Exception {
        FullHttpRequest big = get("/");
        for (int i = 0; i < 10; i++) {
            big.headers().add("x-filler-" + i, "b".repeat(4 * 1024));
        }
        plugin.writeAndFlush(big);
        assertEquals(431, statusOf(next()));
    }

    private static FullHttpRequest get(String uri) {
        FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        r.headers().set("host", "localhost");
        return r;
    }
}
