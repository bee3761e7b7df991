package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muxgate.httpcore.config.SyslogConfig;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Access log to a syslog server that is not there: every stream is served and has its file line; the loss is counted. */
@Timeout(60)
class SyslogDeadServerTest {

    @TempDir
    Path dir;

    @Test
    void aDeadSyslogServerCostsNoStreamAndNoFileLineAndIsCounted() throws Exception {
        int dead;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            dead = probe.getLocalPort();
        }
        SyslogConfig syslog = new SyslogConfig(true, "127.0.0.1", dead, true, 16, "muxgate", 1024);
        try (H2Gateway gw = H2Gateway.start(dir, c -> c.withCore(c.core().withAccessLog(c.core().accessLog().withSyslog(syslog))));
             H2Client client = H2Client.connect(gw.port(), 1 << 20)) {
            int streams = 50;
            for (int i = 0; i < streams; i++) {
                H2Client.Recorder r = new H2Client.Recorder(false);
                client.open(r).writeAndFlush(new DefaultHttp2HeadersFrame(client.request("GET", "/"), true)).sync();
                assertEquals("200", r.status());
                assertEquals("end", r.awaitEnd());
            }
            assertEquals(streams, gw.awaitLines(streams).size());
            H2Gateway.awaitTrue("syslog drops counted", java.time.Duration.ofSeconds(20),
                    () -> Scrape.value(gw.gateway, "muxgate_log_syslog_dropped_total{log=\"access\"}") == streams);
        }
    }
}
