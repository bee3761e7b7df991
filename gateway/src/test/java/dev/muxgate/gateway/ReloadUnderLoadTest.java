package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running gateway process under h2load while its configuration changes: the remap moves from
 * origin A to origin B ({@code muxgate reload}), a bad file is sent by SIGHUP, and the access log is
 * moved away and reopened ({@code muxgate reopen-logs}). h2load sees no failed stream; a stream
 * open across the reload completes on the old origin, new ones go to the new one; the bad file
 * is named with its line and key and counted; an unchangeable key is named; no access-log line is
 * lost or written twice across the move.
 */
@Timeout(240)
class ReloadUnderLoadTest {

    private static final Pattern H2LOAD = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored, (\\d+) timeout");
    /** Default format plus crid: a line's request id, unique in the process. */
    private static final String FORMAT = "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn> %<crid>";

    @TempDir
    Path dir;

    private String config(String origin, String extra) {
        return "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "admin:\n  port: 0\n"
                + "warm-up:\n  requests: 0\n"
                + "remap:\n  - host: \"*\"\n    path: /\n    to: " + origin + "\n"
                + "logs:\n  access:\n    path: " + dir.resolve("access.log") + "\n    format: \"" + FORMAT + "\"\n"
                + "  session:\n    path: " + dir.resolve("session.log") + "\n"
                + extra;
    }

    @Test
    void reloadBadReloadAndReopenUnderH2LoadFailNoStreamAndLoseNoLine() throws Exception {
        assumeTrue(CurlAgainstGatewayTest.commandExists("h2load"), "h2load is installed by bin/test-setup");
        Path conf = dir.resolve("gateway.yaml");
        try (NamedOrigin a = new NamedOrigin("A", 4000); NamedOrigin b = new NamedOrigin("B", 0)) {
            Files.writeString(conf, config(a.url(), ""));
            try (GatewayProcess gateway = GatewayProcess.start(conf)) {
                int port = gateway.tlsPort();
                // Open across the reload: it started on A and must finish there.
                Path slowOut = dir.resolve("slow.out");
                Process slow = new ProcessBuilder(curl(port, "/slow")).redirectErrorStream(true)
                        .redirectOutput(slowOut.toFile()).start();
                assertTrue(a.slowStarted.await(30, TimeUnit.SECONDS), "the slow request never reached A");
                Path loadOut = dir.resolve("h2load.out");
                Process load = new ProcessBuilder("h2load", "-n", "8000", "-c", "4", "-m", "8", "--rps", "150",
                        "https://127.0.0.1:" + port + "/load")
                        .redirectErrorStream(true).redirectOutput(loadOut.toFile()).start();
                try {
                    awaitLines(dir.resolve("access.log"), 300);

                    // 1. A good reload: remap to B, and a key a reload cannot change.
                    Files.writeString(conf, config(b.url(), "node-id: 5\n"));
                    int mark = gateway.output.size();
                    GatewayProcess.ControlResult sent = GatewayProcess.control("reload", conf);
                    assertEquals(0, sent.exit(), sent.output());
                    System.out.println("reload under load: " + gateway.awaitLine("muxgate: reloaded", mark, Duration.ofSeconds(30)));
                    String fixed = gateway.awaitLine("node-id: a reload cannot change it", mark, Duration.ofSeconds(5));
                    assertTrue(fixed.contains("stays 0"), fixed);
                    assertEquals("origin B\n", fetch(port, "/after"));
                    long onB = b.requests.get();
                    awaitTrue("h2load streams reach B", () -> b.requests.get() > onB + 100);
                    long onA = a.requests.get();

                    // 2. A bad file: the command refuses to send it, SIGHUP makes the gateway say why.
                    String bad = config(b.url(), "limits:\n  header-bytes: lots\n");
                    Files.writeString(conf, bad);
                    int badLine = lineOf(bad, "header-bytes");
                    GatewayProcess.ControlResult refused = GatewayProcess.control("reload", conf);
                    assertEquals(2, refused.exit(), refused.output());
                    assertTrue(refused.output().contains(conf + ":" + badLine + ": limits.header-bytes"), refused.output());
                    mark = gateway.output.size();
                    gateway.signal("HUP");
                    String failed = gateway.awaitLine("muxgate: reload failed", mark, Duration.ofSeconds(30));
                    assertTrue(failed.contains(conf + ":" + badLine + ": limits.header-bytes"), failed);
                    assertEquals("origin B\n", fetch(port, "/still"));

                    // 3. logrotate's way: move the file, then reopen.
                    Files.move(dir.resolve("access.log"), dir.resolve("access.log.1"));
                    mark = gateway.output.size();
                    GatewayProcess.ControlResult reopened = GatewayProcess.control("reopen-logs", conf);
                    assertEquals(0, reopened.exit(), reopened.output());
                    gateway.awaitLine("log files reopened", mark, Duration.ofSeconds(30));
                    awaitLines(dir.resolve("access.log"), 50);

                    assertTrue(load.waitFor(180, TimeUnit.SECONDS), "h2load did not finish");
                    String report = Files.readString(loadOut);
                    Matcher m = H2LOAD.matcher(report);
                    assertTrue(m.find(), report);
                    long succeeded = Long.parseLong(m.group(4));
                    System.out.println("reload under load: h2load " + m.group());
                    assertEquals(8000, succeeded, report);
                    assertEquals("0 failed, 0 errored, 0 timeout", m.group(5) + " failed, " + m.group(6) + " errored, "
                            + m.group(7) + " timeout", report);

                    assertTrue(slow.waitFor(30, TimeUnit.SECONDS), "the slow request did not end");
                    assertEquals("origin A\n", Files.readString(slowOut), "a stream open across the reload finishes on its origin");
                    assertEquals(onA, a.requests.get(), "A got new streams after the reload");

                    String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + gateway.adminPort() + "/metrics")).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    assertTrue(metrics.contains("muxgate_config_reloads_total{result=\"applied\"} 1.0"), metrics);
                    assertTrue(metrics.contains("muxgate_config_reloads_total{result=\"failed\"} 1.0"), metrics);
                    assertEquals(0, gateway.stop());

                    // Every transaction has exactly one line, across the two files.
                    List<String> lines = new ArrayList<>(Files.readAllLines(dir.resolve("access.log.1")));
                    int before = lines.size();
                    lines.addAll(Files.readAllLines(dir.resolve("access.log")));
                    Set<String> ids = new HashSet<>();
                    for (String line : lines) {
                        assertTrue(ids.add(line.split(" ")[11]), "logged twice: " + line);
                    }
                    long loadLines = lines.stream().filter(l -> l.split(" ")[6].endsWith("/load")).count();
                    assertEquals(succeeded, loadLines, "h2load streams and their lines (" + before + " before the move)");
                    assertEquals(8000 + 3, lines.size(), "h2load's streams, /slow, /after and /still");
                } finally {
                    load.destroyForcibly();
                }
            }
        }
    }

    private static List<String> curl(int port, String path) {
        return List.of("curl", "-k", "-sS", "--http2", "--max-time", "60", "https://127.0.0.1:" + port + path);
    }

    /** One request by curl over h2; its body. */
    private static String fetch(int port, String path) throws Exception {
        Process p = new ProcessBuilder(curl(port, path)).redirectErrorStream(true).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return body;
    }

    private static int lineOf(String text, String needle) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        throw new AssertionError(needle);
    }

    private static void awaitLines(Path file, long n) throws Exception {
        awaitTrue(file + " has " + n + " lines", () -> {
            try {
                return Files.exists(file) && Files.readAllLines(file, StandardCharsets.UTF_8).size() >= n;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static void awaitTrue(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
