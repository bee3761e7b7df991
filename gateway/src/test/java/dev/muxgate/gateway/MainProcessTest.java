package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code muxgate} process as an operator meets it: exit statuses and the messages they read. */
@Timeout(180)
class MainProcessTest {

    @TempDir
    Path dir;

    @Test
    void badConfigStopsStartWithFileLineAndKeyAndStatusTwo() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "listeners:\n  http:\n    port: 8080\nlimits:\n  header-bytes: lots\n");
        Result r = run("--config", bad.toString());
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains(bad + ":5: limits.header-bytes"), r.stderr);
        assertFalse(r.stderr.contains("Exception"), "operators see a sentence, not a stack trace: " + r.stderr);
    }

    @Test
    void unknownKeyIsNamedWithASuggestion() throws Exception {
        Path bad = dir.resolve("typo.yaml");
        Files.writeString(bad, "limits:\n  header-byte: 64k\n");
        Result r = run("--config", bad.toString());
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains("header-byte"), r.stderr);
        assertTrue(r.stderr.contains("header-bytes"), r.stderr);
    }

    @Test
    void unknownFlagIsAUsageError() throws Exception {
        Result r = run("--frobnicate");
        assertEquals(2, r.exit);
        assertTrue(r.stderr.contains("unknown argument: --frobnicate"), r.stderr);
    }

    @Test
    void startsServesAndStopsOnSigterm() throws Exception {
        Path conf = dir.resolve("ok.yaml");
        Path log = dir.resolve("access.log");
        Files.writeString(conf, "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "admin:\n  port: 0\n"
                + "warm-up:\n  requests: 500\n  handshakes: 64\n  max-time: 120s\n"
                + "logs:\n  access:\n    path: " + log + "\n  session:\n    path: " + dir.resolve("session.log") + "\n");
        Process p = start("--config", conf.toString());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.equals("muxgate: ready")) {
                    break;
                }
            }
            assertTrue(lines.contains("muxgate: ready"), lines.toString());
            // The warm-up ran before the listeners opened, and every one of its requests got its answer.
            assertTrue(lines.stream().anyMatch(l -> l.matches("muxgate: warm-up: 500 requests in \\d+ rounds, .*\\)")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("muxgate: core HTTP listener on 127.0.0.1:")), lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("muxgate: TLS listener on 127.0.0.1:")), lines.toString());
            p.destroy();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), "gateway did not stop on SIGTERM");
            assertEquals(0, p.exitValue(), "SIGTERM is a normal stop");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aTakenPortStopsStartUpBeforeTheWarmUp() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Path conf = tlsOnlyOn(taken.getLocalPort(), "taken.yaml",
                    "logs:\n  access:\n    enabled: false\n  session:\n    enabled: false\n");
            Result r = run("--config", conf.toString());
            assertEquals(Main.EXIT_START, r.exit, r.stdout + r.stderr);
            assertTrue(r.stderr.contains("TLS listener 127.0.0.1:" + taken.getLocalPort())
                    && r.stderr.contains("already in use"), r.stderr);
            assertTrue(!r.stdout.contains("warming up"), "no warm-up for a gateway that cannot start: " + r.stdout);
        }
    }

    @Test
    void warmUpAloneRunsOnLoopbackBesideATakenPortAndExits() throws Exception {
        // The configured TLS port is taken (as by the running gateway a training run is for): the
        // warm-up opens no listener of the configuration, so it runs anyway, and then the process ends.
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getByName("127.0.0.1"))) {
            Path conf = tlsOnlyOn(taken.getLocalPort(), "train.yaml",
                    "warm-up:\n  requests: 200\n  handshakes: 32\n  max-time: 120s\n"
                    + "logs:\n  access:\n    path: " + dir.resolve("access.log") + "\n  session:\n    path: "
                    + dir.resolve("session.log") + "\n");
            Result r = run("warm-up", "--config", conf.toString());
            assertEquals(0, r.exit, r.stdout + r.stderr);
            assertTrue(r.stdout.lines().anyMatch(l -> l.matches("muxgate: warm-up: 200 requests in \\d+ rounds, .*\\)")),
                    r.stdout);
            assertTrue(!r.stdout.contains("muxgate: ready") && !r.stdout.contains("TLS listener on"), r.stdout);
            assertTrue(!Files.exists(dir.resolve("access.log")) || Files.size(dir.resolve("access.log")) == 0,
                    "warm-up traffic never reaches the access log");

            Path off = dir.resolve("off.yaml");
            Files.writeString(off, "warm-up:\n  requests: 0\n");
            Result nothing = run("warm-up", "--config", off.toString());
            assertEquals(Main.EXIT_CONFIG, nothing.exit, nothing.stdout + nothing.stderr);
            assertTrue(nothing.stderr.contains("nothing to do"), nothing.stderr);
        }
    }

    /** A config file {@code name} with only the TLS listener, on 127.0.0.1:{@code port}, admin off, then {@code rest}. */
    private Path tlsOnlyOn(int port, String name, String rest) throws java.io.IOException {
        return Files.writeString(dir.resolve(name), "listeners:\n  http:\n    enabled: false\n"
                + "tls:\n  host: 127.0.0.1\n  port: " + port + "\n  state-dir: " + dir.resolve("state")
                + "\nadmin:\n  enabled: false\n" + rest);
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private static Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).start();
    }

    private static Result run(String... args) throws Exception {
        Process p = start(args);
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
