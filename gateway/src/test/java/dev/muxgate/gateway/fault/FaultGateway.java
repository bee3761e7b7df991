package dev.muxgate.gateway.fault;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.config.RemapRule;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The real gateway for the fault tests: TLS on an ephemeral loopback port, every request remapped
 * to one origin the test names, origin time-outs of the test's choosing, and an access log in the
 * default format followed by {@code crc} (how the transaction ended).
 */
public final class FaultGateway implements AutoCloseable {

    public static final String FORMAT = AccessLogConfig.DEFAULT_FORMAT + " %<crc>";
    public static final int URL = 6;
    public static final int PSSC = 7;
    public static final int PSQL = 8;
    public static final int CRC = 11;

    public final Gateway gateway;
    public final Path accessLog;

    private FaultGateway(Gateway gateway, Path accessLog) {
        this.gateway = gateway;
        this.accessLog = accessLog;
    }

    /**
     * Requests under {@code /refused/} go to a loopback port nobody listens on, under
     * {@code /nxdomain/} to a name that does not resolve, all others to {@code origin}. Origin
     * connect time-out 2 s; {@code responseTimeout} for the head and between body pieces.
     */
    public static FaultGateway start(Path dir, URI origin, Duration responseTimeout) throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        Path accessLog = dir.resolve("access.log");
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withOrigins(new OriginPoolConfig(Duration.ofSeconds(2), responseTimeout, 16, Duration.ofSeconds(30), 16))
                .withRemap(List.of(
                        new RemapRule(RemapRule.ANY_HOST, "/refused/", URI.create("http://127.0.0.1:" + closedPort + "/")),
                        new RemapRule(RemapRule.ANY_HOST, "/nxdomain/", URI.create("http://no-such-origin.invalid/")),
                        new RemapRule(RemapRule.ANY_HOST, "/", origin)))
                .withAccessLog(new AccessLogConfig(true, accessLog, FORMAT, log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        Gateway gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new AdminConfig(true, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(true, dir.resolve("session.log"), 0, Duration.ZERO, 0, 65536))
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state"))));
        return new FaultGateway(gateway, accessLog);
    }

    public int port() {
        return gateway.tlsAddress().getPort();
    }

    /** The access-log line whose URL ends with {@code path}, as fields, once written (bounded wait). */
    public String[] awaitLine(String path) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(accessLog)) {
                // Complete lines only: a line cut after its URL would lack the fields the tests read.
                for (String line : dev.muxgate.gateway.LogLines.complete(accessLog)) {
                    String[] f = line.split(" ");
                    if (f.length > URL && f[URL].endsWith(path)) {
                        return f;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access-log line for " + path + " in " + (Files.exists(accessLog)
                ? Files.readString(accessLog) : "(no file)"));
    }

    @Override
    public void close() {
        gateway.close();
    }
}
