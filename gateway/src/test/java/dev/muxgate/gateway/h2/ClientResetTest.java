package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A client that resets its stream aborts the core's transaction and frees the plugin connection. */
@Timeout(60)
class ClientResetTest {

    @TempDir
    Path dir;

    private H2Gateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = H2Gateway.start(dir);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void resetMidResponseEndsTheTransactionAsClientAbort() throws Exception {
        try (H2Client client = H2Client.connect(gw.port(), 65_535)) {
            H2Client.Recorder r = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(r);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", "/bytes/1073741824"), true));
            assertEquals("200", r.status());
            H2Gateway.awaitTrue("some body", Duration.ofSeconds(20), () -> r.bytes.get() > 0);
            stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            List<String[]> lines = gw.awaitLines(1);
            String[] f = lines.get(0);
            assertEquals("ERR_CLIENT_ABORT", f[H2Gateway.CRC], H2Gateway.show(lines));
            assertEquals("200", f[H2Gateway.PSSC], H2Gateway.show(lines));
            assertEquals("h2", f[H2Gateway.PITAG]);
            awaitCoreIdle();

            // The session is still good for another stream.
            H2Client.Recorder next = MalformedH2RequestTest.get(client, "/bytes/5");
            assertEquals("end", next.awaitEnd());
            assertEquals(5, next.bytes.get());
        }
    }

    @Test
    void resetBeforeTheResponseEndsTheTransactionAsClientAbort() throws Exception {
        try (H2Client client = H2Client.connect(gw.port(), 65_535)) {
            H2Client.Recorder r = new H2Client.Recorder(false);
            Http2StreamChannel stream = client.open(r);
            stream.writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", "/delay/30000"), true));
            H2Gateway.awaitTrue("the transaction to start", Duration.ofSeconds(10),
                    () -> gw.gateway.core().stats().activeTransactions() == 1);
            stream.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
            List<String[]> lines = gw.awaitLines(1);
            assertEquals("ERR_CLIENT_ABORT", lines.get(0)[H2Gateway.CRC], H2Gateway.show(lines));
            awaitCoreIdle();
        }
    }

    private void awaitCoreIdle() throws InterruptedException {
        var stats = gw.gateway.core().stats();
        H2Gateway.awaitTrue("plugin connections back to 0 (now " + stats.openPluginConnections() + ")",
                Duration.ofSeconds(10), () -> stats.openPluginConnections() == 0 && stats.activeTransactions() == 0);
    }
}
