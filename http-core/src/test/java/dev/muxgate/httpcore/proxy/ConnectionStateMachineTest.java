package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.connect.ConnectOptions;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.TransactionRecord;
import dev.muxgate.httpcore.origin.DemoOrigin;
import dev.muxgate.httpcore.origin.OriginPools;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client-connection state machine on an {@link EmbeddedChannel}: raw request bytes in, raw
 * response bytes out, the demo origin behind it on the same (embedded) loop, time advanced by hand.
 */
@Timeout(20)
class ConnectionStateMachineTest {

    private final List<TransactionRecord> logged = new CopyOnWriteArrayList<>();
    private final AccessLog log = new AccessLog() {
        @Override
        public void log(TransactionRecord record) {
            logged.add(record);
        }

        @Override
        public void close() {
        }
    };
    private DemoOrigin demo;
    private OriginPools pools;
    private EmbeddedChannel channel;

    private EmbeddedChannel connect(CoreConfig config, ConnectOptions plugin) {
        demo = new DemoOrigin();
        pools = new OriginPools(config.origins(), demo);
        CoreContext core = new CoreContext(config, pools, log, new CoreStats());
        channel = new EmbeddedChannel(false, false);
        if (plugin != null) {
            channel.attr(ConnectOptions.ATTRIBUTE).set(plugin);
        }
        new CoreChannelInitializer(core).accept(channel);
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        channel.freezeTime();
        return channel;
    }

    @AfterEach
    void tearDown() {
        if (channel != null) {
            channel.finishAndReleaseAll();
            channel.runPendingTasks();
        }
        if (pools != null) {
            pools.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    private String send(String raw) {
        channel.writeInbound(Unpooled.copiedBuffer(raw, StandardCharsets.ISO_8859_1));
        return drain();
    }

    /** Runs the loop until it is quiet and returns every byte written to the client. */
    private String drain() {
        StringBuilder out = new StringBuilder();
        for (int quiet = 0; quiet < 3; ) {
            channel.runPendingTasks();
            boolean any = false;
            for (Object msg; (msg = channel.readOutbound()) != null; ) {
                ByteBuf buf = (ByteBuf) msg;
                out.append(buf.toString(StandardCharsets.ISO_8859_1));
                buf.release();
                any = true;
            }
            quiet = any ? 0 : quiet + 1;
        }
        return out.toString();
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() {
        connect(CoreConfig.defaults(), null);
        String out = send("GET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /status/202 HTTP/1.1\r\nHost: a\r\n\r\n"
                + "GET /status/203 HTTP/1.1\r\nHost: a\r\n\r\n");
        int first = out.indexOf("HTTP/1.1 201");
        int second = out.indexOf("HTTP/1.1 202");
        int third = out.indexOf("HTTP/1.1 203");
        assertTrue(first >= 0 && first < second && second < third, out);
        assertTrue(channel.isOpen());
        assertEquals(3, logged.size());
        assertEquals(List.of(201, 202, 203), logged.stream().map(TransactionRecord::proxyStatus).toList());
    }

    @Test
    void requestWithoutHostIsRefusedAndTheConnectionClosed() {
        connect(CoreConfig.defaults(), null);
        String out = send("GET / HTTP/1.1\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 400"), out);
        assertTrue(out.toLowerCase().contains("connection: close"), out);
        assertFalse(channel.isOpen());
        assertEquals(TransactionRecord.Result.ERR_INVALID_REQ, logged.get(0).result());
    }

    @Test
    void remapMissAnswers404AndKeepsTheConnectionForTheNextRequest() {
        connect(CoreConfig.defaults().withRemap(List.of()), null);
        String out = send("GET /x HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 404"), out);
        assertTrue(channel.isOpen());
        out = send("GET /y HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 404"), out);
        assertEquals(TransactionRecord.Result.ERR_NO_REMAP, logged.get(1).result());
    }

    @Test
    void overlongRequestLineAnswers414() {
        LimitsConfig d = LimitsConfig.defaults();
        connect(CoreConfig.defaults().withLimits(new LimitsConfig(64, d.headerBytes(), d.headerCount(),
                d.requestBodyBytes(), d.headerTimeout(), d.bodyTimeout(), d.idleTimeout(), d.pipelinedRequests())), null);
        String out = send("GET /" + "a".repeat(200) + " HTTP/1.1\r\nHost: a\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 414"), out);
        assertFalse(channel.isOpen());
    }

    @Test
    void partialHeadThenSilenceAnswers408AfterTheHeaderTimeout() {
        connect(CoreConfig.defaults(), null);
        assertEquals("", send("GET / HTTP/1.1\r\nHo"));
        channel.advanceTimeBy(LimitsConfig.defaults().headerTimeout().toMillis() - 100, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen(), "closed before the header timeout");
        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        String out = drain();
        assertTrue(out.startsWith("HTTP/1.1 408"), out);
        assertFalse(channel.isOpen());
        assertEquals(408, logged.get(0).proxyStatus());
    }

    @Test
    void idleKeepAliveConnectionClosesQuietlyAfterTheIdleTimeout() {
        connect(CoreConfig.defaults(), null);
        assertTrue(send("GET /status/200 HTTP/1.1\r\nHost: a\r\n\r\n").startsWith("HTTP/1.1 200"));
        Duration idle = LimitsConfig.defaults().idleTimeout();
        channel.advanceTimeBy(idle.toMillis() - 1000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertTrue(channel.isOpen());
        channel.advanceTimeBy(2000, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertEquals("", drain());
        assertFalse(channel.isOpen());
        assertEquals(1, logged.size(), "an idle close is not a transaction");
    }

    @Test
    void pluginIdentityReachesEveryRecordOfTheConnection() {
        ConnectOptions plugin = ConnectOptions.builder(new InetSocketAddress("127.0.0.1", 8080))
                .pluginTag("h2").pluginId(42).streamId(3)
                .clientAddress(new InetSocketAddress("203.0.113.7", 5555)).build();
        connect(CoreConfig.defaults(), plugin);
        send("GET /status/200 HTTP/1.1\r\nHost: a\r\n\r\nGET /status/204 HTTP/1.1\r\nHost: a\r\n\r\n");
        assertEquals(2, logged.size());
        for (TransactionRecord r : logged) {
            assertEquals("h2", r.pluginTag());
            assertEquals(42, r.pluginId());
            assertEquals(42, r.connectionId());
            assertEquals(3, r.streamId());
            assertEquals("203.0.113.7", r.clientIp());
            assertEquals(5555, r.clientPort());
        }
    }

    @Test
    void expectContinueGets100BeforeTheFinalResponse() {
        connect(CoreConfig.defaults(), null);
        String out = send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        assertTrue(out.startsWith("HTTP/1.1 100 Continue"), out);
        out += send("hello");
        // The echo origin answers as soon as the head is in and streams the body after it.
        assertTrue(out.indexOf("HTTP/1.1 200") > out.indexOf("HTTP/1.1 100"), out);
        assertTrue(out.endsWith("5\r\nhello\r\n0\r\n\r\n"), out);
        assertFalse(out.toLowerCase().contains("expect:"), "Expect must not reach the origin: " + out);
    }

    @Test
    void headRequestGetsHeadersWithoutBody() {
        connect(CoreConfig.defaults(), null);
        String out = send("HEAD /bytes/100 HTTP/1.1\r\nHost: a\r\n\r\nGET /status/201 HTTP/1.1\r\nHost: a\r\n\r\n");
        int second = out.indexOf("HTTP/1.1 201");
        assertTrue(out.startsWith("HTTP/1.1 200"), out);
        assertTrue(out.contains("content-length: 100"), out);
        assertTrue(second > 0, out);
        assertFalse(out.substring(0, second).contains("xxxx"), "HEAD carried a body: " + out);
    }
}
