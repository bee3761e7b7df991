package dev.muxgate.gateway.spdy;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.spdy.spdy.SpdyLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The real gateway for one SPDY test class: TLS on an ephemeral loopback port (ALPN offering
 * spdy/3.1 and spdy/3 beside h2), the embedded demo origin, an access log in the default format
 * followed by {@code crc}, and a session log. Timeouts are long: no test here is about a timeout.
 */
final class SpdyGateway implements AutoCloseable {

    static final String FORMAT = AccessLogConfig.DEFAULT_FORMAT + " %<crc>";
    static final int PITAG = 3;
    static final int PIID = 4;
    static final int METHOD = 5;
    static final int URL = 6;
    static final int PSSC = 7;
    static final int PSQL = 8;
    static final int SSSC = 9;
    static final int CRC = 11;

    final Gateway gateway;
    final Path accessLog;
    final Path sessionLog;

    private SpdyGateway(Gateway gateway, Path accessLog, Path sessionLog) {
        this.gateway = gateway;
        this.accessLog = accessLog;
        this.sessionLog = sessionLog;
    }

    static SpdyGateway start(Path dir) throws InterruptedException {
        return start(dir, SpdyLimits.defaults(), Duration.ofSeconds(10));
    }

    static SpdyGateway start(Path dir, SpdyLimits spdy, Duration shutdownGrace) throws InterruptedException {
        Path accessLog = dir.resolve("access.log");
        Path sessionLog = dir.resolve("session.log");
        AccessLogConfig log = AccessLogConfig.defaults();
        LimitsConfig d = LimitsConfig.defaults();
        LimitsConfig patient = new LimitsConfig(d.requestLineBytes(), d.headerBytes(), d.headerCount(),
                d.requestBodyBytes(), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(10),
                d.pipelinedRequests());
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withLimits(patient)
                .withAccessLog(new AccessLogConfig(true, accessLog, FORMAT, log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        Gateway gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(true, sessionLog, 0, Duration.ZERO, 0, 65536))
                .withShutdownGrace(shutdownGrace)
                .withSpdy(spdy)
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state"))));
        return new SpdyGateway(gateway, accessLog, sessionLog);
    }

    int port() {
        return gateway.tlsAddress().getPort();
    }

    List<String[]> awaitLines(int n) throws IOException, InterruptedException {
        awaitTrue("access log lines >= " + n, Duration.ofSeconds(20), () -> count(accessLog) >= n);
        return lines(accessLog);
    }

    List<String[]> awaitSessionLines(int n) throws IOException, InterruptedException {
        awaitTrue("session log lines >= " + n, Duration.ofSeconds(20), () -> count(sessionLog) >= n);
        return lines(sessionLog);
    }

    static List<String[]> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return dev.muxgate.gateway.LogLines.complete(file).stream().map(l -> l.split(" ")).toList();
    }

    private static long count(Path file) {
        try {
            return lines(file).size();
        } catch (IOException e) {
            return 0;
        }
    }

    String metrics() {
        return gateway.metrics().scrape();
    }

    static String show(List<String[]> lines) {
        StringBuilder sb = new StringBuilder();
        lines.stream().limit(20).forEach(f -> sb.append(Arrays.toString(f)).append('\n'));
        return sb.toString();
    }

    static void awaitTrue(String what, Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        gateway.close();
    }
}
