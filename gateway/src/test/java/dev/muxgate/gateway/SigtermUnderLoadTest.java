package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while h2load (h2), or Node's SPDY/3.1, h2 and HTTP/1.1 clients, keep the gateway busy:
 * the process drains and exits 0, and every stream the clients saw complete has its access-log
 * line (no completed transaction loses its line).
 */
@Timeout(240)
class SigtermUnderLoadTest {

    private static final Pattern TLS_PORT = Pattern.compile("TLS listener on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern SUCCEEDED = Pattern.compile("requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded");

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadDrainsAndLosesNoCompletedStreamsLine() throws Exception {
        assumeTrue(CurlAgainstGatewayTest.commandExists("h2load"), "h2load is installed by bin/test-setup");
        Path conf = dir.resolve("gw.yaml");
        Path accessLog = dir.resolve("access.log");
        Files.writeString(conf, "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "admin:\n  port: 0\n"
                + "shutdown-grace: 20s\n"
                + "warm-up:\n  requests: 0\n"
                + "logs:\n  access:\n    path: " + accessLog + "\n  session:\n    path: " + dir.resolve("session.log") + "\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString());
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Process load = null;
        try {
            int port = awaitTlsPort(gateway);
            Path loadOut = dir.resolve("h2load.out");
            load = new ProcessBuilder("h2load", "-n", "200000", "-c", "4", "-m", "10",
                    "https://127.0.0.1:" + port + "/delay/5")
                    .redirectErrorStream(true).redirectOutput(loadOut.toFile()).start();
            // Let traffic build up, then stop the gateway in the middle of it.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (lines(accessLog) < 200 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lines(accessLog) >= 200, "load never reached the gateway");
            gateway.destroy();
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "gateway did not stop");
            assertEquals(0, gateway.exitValue(), "SIGTERM is a normal stop");
            assertTrue(load.waitFor(30, TimeUnit.SECONDS), "h2load did not finish");
            String report = Files.readString(loadOut);
            Matcher m = SUCCEEDED.matcher(report);
            assertTrue(m.find(), report);
            long succeeded = Long.parseLong(m.group(1));
            List<String> logged = Files.readAllLines(accessLog);
            long ok = logged.stream().filter(l -> l.split(" ")[7].equals("200")).count();
            assertTrue(succeeded > 0, report);
            assertTrue(ok >= succeeded, "completed streams " + succeeded + " but only " + ok + " lines logged");
            assertTrue(succeeded < 200000, "the stop did not interrupt the load: " + report);
        } finally {
            gateway.destroyForcibly();
            if (load != null) {
                load.destroyForcibly();
            }
        }
    }

    /**
     * The same stop under load from Node's SPDY/3.1, h2 and HTTP/1.1 clients at once
     * ({@code bench/soak-clients.js --until-closed}: resets, slow readers and uploads included):
     * every stream a client saw end whole has its line, tagged with its protocol.
     */
    @Test
    void sigtermUnderSpdyH2AndHttp11LoadLosesNoCompletedStreamsLine() throws Exception {
        Path root = repoRoot();
        assertTrue(Files.isDirectory(root.resolve("node_modules/spdy-transport")),
                "Node's spdy-transport package is missing: run bin/test-setup (npm ci from package-lock.json)");
        Path conf = dir.resolve("gw.yaml");
        Path accessLog = dir.resolve("access.log");
        Files.writeString(conf, "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "admin:\n  port: 0\n"
                + "shutdown-grace: 20s\n"
                + "warm-up:\n  requests: 0\n"
                + "logs:\n  access:\n    path: " + accessLog + "\n"
                + "    format: '%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn> %<crc>'\n"
                + "  session:\n    path: " + dir.resolve("session.log") + "\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString());
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Process load = null;
        try {
            int port = awaitTlsPort(gateway);
            Path loadOut = dir.resolve("node.out");
            load = new ProcessBuilder("node", root.resolve("bench/soak-clients.js").toString(), String.valueOf(port),
                    "100", "2", "--until-closed").directory(root.toFile())
                    .redirectError(dir.resolve("node.err").toFile()).redirectOutput(loadOut.toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (lines(accessLog) < 600 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(lines(accessLog) >= 600, "load never reached the gateway");
            gateway.destroy();
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "gateway did not stop");
            assertEquals(0, gateway.exitValue(), "SIGTERM is a normal stop");
            assertTrue(load.waitFor(60, TimeUnit.SECONDS), "the Node clients did not finish");
            String report = Files.readString(loadOut).trim() + " (stderr: " + Files.readString(dir.resolve("node.err")).trim() + ")";
            List<String[]> logged = Files.readAllLines(accessLog).stream().map(l -> l.split(" ")).toList();
            for (String protocol : List.of("spdy/3.1", "h2", "http/1.1")) {
                long whole = count(report, protocol, "ok") + count(report, protocol, "slow");
                long ok = logged.stream().filter(f -> f[3].equals(protocol) && f[7].equals("200")
                        && f[11].equals("TCP_MISS")).count();
                assertTrue(whole > 0, protocol + " completed no stream: " + report);
                assertTrue(ok >= whole, protocol + ": " + whole + " streams ended whole but only " + ok
                        + " lines logged: " + report);
                assertEquals(0, count(report, protocol, "errors"), protocol + " errors before the stop: " + report);
                System.out.printf("sigterm under %s load: %d streams whole, %d lines, %d cut by the stop%n",
                        protocol, whole, ok, count(report, protocol, "cut"));
            }
        } finally {
            gateway.destroyForcibly();
            if (load != null) {
                load.destroyForcibly();
            }
        }
    }

    /** A count from soak-clients.js's JSON line: {@code "protocol":{...,"what":N,...}}. */
    private static long count(String report, String protocol, String what) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(protocol) + "\":\\{[^}]*\"" + what + "\":(\\d+)").matcher(report);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("package-lock.json"))) {
                return d;
            }
        }
        throw new AssertionError("package-lock.json not found above " + Path.of("").toAbsolutePath());
    }

    private static long lines(Path file) throws Exception {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    private static int awaitTlsPort(Process gateway) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line; (line = out.readLine()) != null; ) {
            seen.add(line);
            Matcher m = TLS_PORT.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> {
                    try {
                        while (out.readLine() != null) {
                            // keep the pipe from filling
                        }
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no TLS listener line: " + seen);
    }
}
