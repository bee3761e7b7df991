package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The assembled gateway on its embedded default, driven by a real third-party client: curl. */
@Timeout(60)
class CurlAgainstGatewayTest {

    @TempDir
    Path dir;

    private Gateway gateway;
    private String base;
    private Path accessLog;
    private Path sessionLog;
    private String tlsBase;

    @BeforeEach
    void startGateway() throws Exception {
        assumeTrue(commandExists("curl"), "curl is installed by bin/test-setup");
        accessLog = dir.resolve("access.log");
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withAccessLog(new AccessLogConfig(true, accessLog, log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        sessionLog = dir.resolve("session.log");
        gateway = Gateway.start(GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new dev.muxgate.gateway.admin.AdminConfig(true, "127.0.0.1", 0))
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state")))
                .withSessionLog(new SessionLogConfig(true, sessionLog, 0, Duration.ZERO, 0, 1024)));
        base = "http://127.0.0.1:" + gateway.core().listenAddress().getPort();
        tlsBase = "https://127.0.0.1:" + gateway.tlsAddress().getPort();
    }

    @AfterEach
    void stopGateway() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void curlGetsTheDemoPageAndTheLineIsLogged() throws Exception {
        CurlResult r = curl("-sS", "-w", "\n%{http_code}", base + "/");
        assertEquals(0, r.exit, r.stderr);
        assertTrue(r.stdout.contains("<h1>muxgate</h1>"), r.stdout);
        assertTrue(r.stdout.endsWith("200"), r.stdout);
        gateway.close();
        gateway = null;
        List<String> lines = Files.readAllLines(accessLog);
        assertEquals(1, lines.size(), lines.toString());
        String[] f = lines.get(0).split(" ");
        // cqtq ttms chi pitag piid cqhm cquc pssc psql sssc shn
        assertEquals(11, f.length, lines.get(0));
        assertEquals("127.0.0.1", f[2]);
        assertEquals("-", f[3]);
        assertEquals("0", f[4]);
        assertEquals("GET", f[5]);
        assertEquals(base + "/", f[6]);
        assertEquals("200", f[7]);
        assertEquals("200", f[9]);
        assertEquals("internal:demo", f[10]);
    }

    @Test
    void curlOverHttp2IsTaggedH2WithTheSessionNumberAndTheSessionLogAgrees() throws Exception {
        CurlResult first = curl("-sSk", "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                tlsBase + "/", tlsBase + "/status/201");
        assertEquals(0, first.exit, first.stderr);
        CurlResult second = curl("-sSk", "--http2", "-o", "/dev/null", "-w", "%{http_version} %{http_code}", tlsBase + "/");
        assertEquals("2 200", second.stdout);
        gateway.close();
        gateway = null;
        List<String[]> access = Files.readAllLines(accessLog).stream().map(l -> l.split(" ")).toList();
        assertEquals(3, access.size());
        for (String[] f : access) {
            assertEquals("h2", f[3]);
        }
        // Two streams of the first session, one of the second: numbers count from 1.
        assertEquals(List.of("1", "1", "2"), access.stream().map(f -> f[4]).sorted().toList());
        List<String[]> sessions = Files.readAllLines(sessionLog).stream().map(l -> l.split(" ")).toList();
        assertEquals(2, sessions.size(), sessions.toString());
        for (String[] f : sessions) {
            // time number protocol chi chp sni tlsv cipher ttms streams bytes_in bytes_out reason
            assertEquals("h2", f[2]);
            assertEquals("127.0.0.1", f[3]);
            long streams = access.stream().filter(a -> a[4].equals(f[1])).count();
            assertEquals(String.valueOf(streams), f[9], "session " + f[1] + " stream count");
        }
    }

    @Test
    void curlOverTlsHttp11IsOnePluginConnectionPerConnection() throws Exception {
        CurlResult r = curl("-sSk", "--http1.1", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{http_version}\n",
                tlsBase + "/bytes/1", tlsBase + "/bytes/2");
        assertEquals(List.of("1.1", "1.1"), r.stdout.lines().toList(), r.stderr);
        gateway.close();
        gateway = null;
        List<String[]> access = Files.readAllLines(accessLog).stream().map(l -> l.split(" ")).toList();
        assertEquals(2, access.size());
        assertEquals("http/1.1", access.get(0)[3]);
        assertEquals(access.get(0)[4], access.get(1)[4], "one connection, one session number");
    }

    @Test
    void adminEndpointShowsTheTrafficInItsMetrics() throws Exception {
        CurlResult h2 = curl("-sSk", "--http2", "-o", "/dev/null", tlsBase + "/status/200");
        assertEquals(0, h2.exit, h2.stderr);
        String admin = "http://127.0.0.1:" + gateway.adminAddress().getPort();
        CurlResult metrics = curl("-sS", admin + "/metrics");
        assertTrue(metrics.stdout.contains("muxgate_sessions_opened_total{protocol=\"h2\"} 1.0"), metrics.stdout);
        assertTrue(metrics.stdout.contains("muxgate_streams_opened_total{protocol=\"h2\"} 1.0"), metrics.stdout);
        assertTrue(metrics.stdout.contains("muxgate_origin_latency_seconds_count{outcome=\"ok\"} 1"), metrics.stdout);
        // The stream's close is counted as its channel closes, which may trail curl's exit a little.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!metrics.stdout.contains("muxgate_stream_duration_seconds_count{protocol=\"h2\"} 1\n")
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
            metrics = curl("-sS", admin + "/metrics");
        }
        assertTrue(metrics.stdout.contains("muxgate_stream_duration_seconds_count{protocol=\"h2\"} 1\n"), metrics.stdout);
        assertTrue(metrics.stdout.contains("muxgate_streams_active{protocol=\"h2\"} 0.0"), metrics.stdout);
        CurlResult health = curl("-sS", admin + "/health");
        assertEquals("{\"status\":\"ok\"}", health.stdout.trim());
    }

    @Test
    void curlReusesOneConnectionForTwoRequests() throws Exception {
        CurlResult r = curl("-sS", "-o", "/dev/null", "-o", "/dev/null", "-w", "%{num_connects}\n",
                base + "/bytes/10", base + "/bytes/20");
        assertEquals(0, r.exit, r.stderr);
        assertEquals(List.of("1", "0"), r.stdout.lines().toList());
    }

    @Test
    void curlUploadIsEchoedBackWhole() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        new Random(7).nextBytes(body);
        Path upload = dir.resolve("upload.bin");
        Files.write(upload, body);
        Path echoed = dir.resolve("echoed.bin");
        CurlResult r = curl("-sS", "--data-binary", "@" + upload, "-H", "Content-Type: application/octet-stream",
                "-o", echoed.toString(), base + "/echo");
        assertEquals(0, r.exit, r.stderr);
        byte[] got = Files.readAllBytes(echoed);
        // The echo is the request head as text, a blank line, then the body byte for byte.
        assertTrue(got.length > body.length);
        byte[] tail = java.util.Arrays.copyOfRange(got, got.length - body.length, got.length);
        assertTrue(java.util.Arrays.equals(body, tail), "echoed body differs");
    }

    @Test
    void curlChunkedUploadAndLargeDownloadComplete() throws Exception {
        CurlResult up = curl("-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "hello chunked",
                base + "/echo");
        assertEquals(0, up.exit, up.stderr);
        assertTrue(up.stdout.endsWith("hello chunked"), up.stdout);
        assertTrue(up.stdout.contains("transfer-encoding: chunked"), up.stdout);

        CurlResult down = curl("-sS", "-o", "/dev/null", "-w", "%{size_download} %{http_code}",
                base + "/bytes/" + (64L * 1024 * 1024));
        assertEquals(0, down.exit, down.stderr);
        assertEquals((64L * 1024 * 1024) + " 200", down.stdout);
    }

    @Test
    void curlSeesRemapMissAndMalformedRequestRefused() throws Exception {
        CurlResult bad = curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Host: a@b", base + "/");
        assertEquals("400", bad.stdout);
        CurlResult notFound = curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/status/404");
        assertEquals("404", notFound.stdout);
    }

    record CurlResult(int exit, String stdout, String stderr) {
    }

    private static CurlResult curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("curl");
        cmd.add("--max-time");
        cmd.add("30");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        var out = p.getInputStream().readAllBytes();
        var err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(40, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("curl hung: " + cmd);
        }
        return new CurlResult(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    static boolean commandExists(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return true;
            }
        }
        return false;
    }

}
