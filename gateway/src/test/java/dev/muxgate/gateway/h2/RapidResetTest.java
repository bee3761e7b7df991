package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rapid reset (CVE-2023-44487): a client that opens streams and resets them at once is cut off by
 * the reset limit long before 100,000 resets, the cut-off shows in the metrics, and a well-behaved
 * session on the same gateway keeps being served.
 */
@Timeout(60)
class RapidResetTest {

    @TempDir
    Path dir;

    private H2Gateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = H2Gateway.start(dir);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    @Test
    void rapidResetSessionIsCutOffAndCountedWhileAnotherSessionIsServed() throws Exception {
        int sent = 0;
        try (H2Client attacker = H2Client.connect(gw.port(), 65535)) {
            for (; sent < 2000 && attacker.parentActive(); sent++) {
                Http2StreamChannel stream;
                try {
                    stream = attacker.open(new Discard());
                } catch (Exception e) {
                    break; // the session is gone: that is the point
                }
                stream.write(new DefaultHttp2HeadersFrame(attacker.request("GET", "/delay/1000"), true));
                stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (attacker.parentActive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!attacker.parentActive(), "the gateway kept a rapid-reset session open after " + sent + " resets");
        }
        System.out.printf("rapid reset: session cut off after %d streams opened and reset%n", sent);
        assertTrue(sent < 2000, "cut off only after " + sent + " resets");
        String metrics = gw.gateway.metrics().scrape();
        assertTrue(metrics.contains("muxgate_protocol_errors_total{kind=\"rst_flood\"} 1.0"), metrics);

        try (H2Client good = H2Client.connect(gw.port(), 65535)) {
            H2Client.Recorder r = new H2Client.Recorder(true);
            Http2StreamChannel stream = good.open(r);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(good.request("GET", "/status/200"), true));
            assertTrue(r.status().startsWith("200"), "a well-behaved session is still served");
            r.awaitEnd();
        }
    }

    private static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }
}
