package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.TransactionRecord;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Thousands of plugin connections open at once, each with a request in flight; then all closed. */
@Timeout(60)
class ManyPluginConnectionsTest {

    static final int CONNECTIONS = 3000;

    @Test
    void threeThousandPluginConnectionsEachGetTheirAnswerAndLeaveNothingOpen() throws Exception {
        RecordingAccessLog log = new RecordingAccessLog();
        // 256 demo connections per loop; the rest of the burst waits its turn rather than getting 503.
        // Waiters give up after the connect time-out: generous, so a loaded machine is not a 503.
        OriginPoolConfig pool = new OriginPoolConfig(Duration.ofSeconds(20), Duration.ofSeconds(20), 256,
                Duration.ofSeconds(30), CONNECTIONS);
        try (ProxyCore core = TestCores.start(TestCores.demoConfig().withOrigins(pool), log)) {
            CountDownLatch answered = new CountDownLatch(CONNECTIONS);
            AtomicInteger ok = new AtomicInteger();
            List<Channel> channels = new ArrayList<>(CONNECTIONS);
            for (int i = 1; i <= CONNECTIONS; i++) {
                ConnectOptions options = ConnectOptions.builder(core.listenAddress())
                        .pluginTag("h2").pluginId(i)
                        .clientAddress(new InetSocketAddress("203.0.113.7", 1024 + i))
                        .build();
                Channel ch = core.connector().connect(options, new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel c) {
                        c.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new SimpleChannelInboundHandler<FullHttpResponse>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                                        if (r.status().code() == 200 && r.content().readableBytes() == 1000) {
                                            ok.incrementAndGet();
                                        }
                                        answered.countDown();
                                    }
                                });
                    }
                });
                channels.add(ch);
            }
            Await.equal("plugin connections open", (long) CONNECTIONS, () -> core.stats().openPluginConnections());
            for (Channel ch : channels) {
                ch.writeAndFlush(PluginClient.get("/bytes/1000", "localhost"));
            }
            assertTrue(answered.await(30, TimeUnit.SECONDS), answered.getCount() + " unanswered");
            assertEquals(CONNECTIONS, ok.get());
            assertEquals(CONNECTIONS, core.stats().openConnections(), "all still open together");

            for (Channel ch : channels) {
                ch.close();
            }
            for (Channel ch : channels) {
                assertTrue(ch.closeFuture().await(10, TimeUnit.SECONDS));
            }
            Await.equal("open connections", 0L, () -> core.stats().openConnections());
            // Given back after the open connections, in the same channelInactive: awaited too.
            Await.equal("open plugin connections", 0L, () -> core.stats().openPluginConnections());
            assertEquals(0, core.stats().activeTransactions());

            List<TransactionRecord> records = log.awaitCount(CONNECTIONS);
            Set<Long> ids = new HashSet<>();
            for (TransactionRecord r : records) {
                assertEquals("h2", r.pluginTag());
                assertEquals("203.0.113.7", r.clientIp());
                assertEquals(200, r.proxyStatus());
                ids.add(r.pluginId());
            }
            assertEquals(CONNECTIONS, ids.size(), "every connection's id reached its record");
        }
    }
}
