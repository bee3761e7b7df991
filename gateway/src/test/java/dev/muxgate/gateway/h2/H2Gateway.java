package dev.muxgate.gateway.h2;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The real gateway for one test class: TLS on an ephemeral loopback port, the embedded demo
 * origin, and an access log in a temp dir in the default format followed by {@code crc} (so a test
 * can see how a transaction ended). Timeouts are minutes long: the clock of this machine can leap
 * when every thread waits, and no test here is about a timeout.
 */
final class H2Gateway implements AutoCloseable {

    /** The default format plus the result code; fields 0..10 as documented, 11 = crc. */
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

    private H2Gateway(Gateway gateway, Path accessLog) {
        this.gateway = gateway;
        this.accessLog = accessLog;
    }

    static H2Gateway start(Path dir) throws InterruptedException {
        return start(dir, config -> config);
    }

    /** The same gateway with {@code tweak} applied to its configuration last. */
    static H2Gateway start(Path dir, java.util.function.UnaryOperator<GatewayConfig> tweak) throws InterruptedException {
        Path accessLog = dir.resolve("access.log");
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
        Gateway gateway = Gateway.start(tweak.apply(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new dev.muxgate.gateway.admin.AdminConfig(true, "127.0.0.1", 0))
                .withSessionLog(new dev.muxgate.gateway.session.SessionLogConfig(true, dir.resolve("session.log"), 0, java.time.Duration.ZERO, 0, 65536))
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state")))));
        return new H2Gateway(gateway, accessLog);
    }

    int port() {
        return gateway.tlsAddress().getPort();
    }

    String url(String path) {
        return "https://127.0.0.1:" + port() + path;
    }

    /** Access-log lines as fields, once at least {@code n} are written (bounded wait). */
    List<String[]> awaitLines(int n) throws IOException, InterruptedException {
        awaitTrue("access log lines >= " + n, Duration.ofSeconds(20), () -> lineCount() >= n);
        return lines();
    }

    /**
     * Waits for a line that {@code match} accepts and returns all lines: with other clients on the
     * gateway (a bystander), a count of lines says nothing about whether this one is written yet.
     */
    List<String[]> awaitLine(String what, java.util.function.Predicate<String[]> match)
            throws IOException, InterruptedException {
        try {
            awaitTrue("an access log line: " + what, Duration.ofSeconds(20), () -> {
                try {
                    return lines().stream().anyMatch(match);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (AssertionError notYet) {
            // The caller's assertion shows the lines there are.
        }
        return lines();
    }

    List<String[]> lines() throws IOException {
        if (!Files.exists(accessLog)) {
            return List.of();
        }
        return dev.muxgate.gateway.LogLines.complete(accessLog).stream().map(l -> l.split(" ")).toList();
    }

    private long lineCount() {
        try {
            return lines().size();
        } catch (IOException e) {
            return 0;
        }
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
