package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logs' disk is full or their path unwritable, in a real gateway process: the access log
 * goes to {@code /dev/full} (every write fails with ENOSPC) and the session log to a path under a
 * regular file (no directory can be made there, even as root). The gateway keeps serving, counts
 * the failures in its metrics, says so on stderr once per log (not once per line), and stops
 * normally.
 */
@Timeout(120)
class LogFailureTest {

    private static final Pattern TLS_PORT = Pattern.compile("TLS listener on 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern ADMIN_PORT = Pattern.compile("admin on 127\\.0\\.0\\.1:(\\d+)");
    private static final int REQUESTS = 60;

    @TempDir
    Path dir;

    @Test
    void aFullDiskAndAnUnwritablePathCostOnlyTheLinesWhileTheGatewayServes() throws Exception {
        assumeTrue(Files.isWritable(Path.of("/dev/full")), "needs /dev/full");
        assumeTrue(CurlAgainstGatewayTest.commandExists("curl"), "curl is installed by bin/test-setup");
        Path notADirectory = Files.writeString(dir.resolve("not-a-directory"), "a file\n");
        Path conf = dir.resolve("gw.yaml");
        // Rotation off: a device is never rotated anyway (see LiveLogFile), and this test must not
        // depend on that to leave the machine's /dev/full in place.
        Files.writeString(conf, "listeners:\n  http:\n    host: 127.0.0.1\n    port: 0\n"
                + "tls:\n  host: 127.0.0.1\n  port: 0\n  state-dir: " + dir.resolve("state") + "\n"
                + "admin:\n  port: 0\n"
                + "warm-up:\n  requests: 0\n"
                + "logs:\n"
                + "  access:\n    path: /dev/full\n    rotate-size: 0\n    rotate-interval: 0s\n"
                + "  session:\n    path: " + notADirectory.resolve("session.log") + "\n");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--config", conf.toString());
        Process gateway = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try {
            int[] ports = awaitPorts(gateway, output);
            String url = "https://127.0.0.1:" + ports[0] + "/";
            List<String> curl = new ArrayList<>(List.of("curl", "-sk", "--http2", "-o", "/dev/null",
                    "-w", "%{http_code}\\n"));
            for (int i = 0; i < REQUESTS; i++) {
                curl.add(url);
            }
            // Two runs, a second apart: the second comes after the writers' retry delay, so each
            // log fails again, and must still say so only once.
            for (int run = 0; run < 2; run++) {
                Process p = new ProcessBuilder(curl).redirectErrorStream(true).start();
                String codes = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                assertEquals(REQUESTS, codes.lines().filter("200"::equals).count(), "every request served: " + codes);
                Thread.sleep(1500);
            }
            // The writers are asynchronous, and the session lines come as the gateway sees curl's
            // connections close: the second run's failures are awaited, not assumed after a sleep.
            String metrics = scrape(ports[1]);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((counter(metrics, "muxgate_log_write_errors_total{log=\"access\"}") < 2
                    || counter(metrics, "muxgate_log_write_errors_total{log=\"session\"}") < 2)
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                metrics = scrape(ports[1]);
            }
            double accessErrors = counter(metrics, "muxgate_log_write_errors_total{log=\"access\"}");
            double sessionErrors = counter(metrics, "muxgate_log_write_errors_total{log=\"session\"}");
            assertTrue(accessErrors >= 2, "access-log write errors counted: " + accessErrors + " " + output);
            assertTrue(sessionErrors >= 2, "session-log write errors counted: " + sessionErrors);
            assertTrue(gateway.isAlive(), "the gateway keeps running");

            gateway.destroy();
            assertTrue(gateway.waitFor(60, TimeUnit.SECONDS), "gateway did not stop");
            assertEquals(0, gateway.exitValue(), "SIGTERM is a normal stop: " + output);
            List<String> said;
            synchronized (output) {
                said = List.copyOf(output);
            }
            assertEquals(1, said.stream().filter(l -> l.startsWith("muxgate: access log /dev/full: cannot")).count(),
                    "one report for the access log: " + said);
            assertEquals(1, said.stream().filter(l -> l.startsWith("muxgate: session log ")
                    && l.contains(": cannot ")).count(), "one report for the session log: " + said);
            assertTrue(said.stream().noneMatch(l -> l.contains("Exception in thread") || l.startsWith("\tat ")),
                    "no stack trace: " + said);
            System.out.printf("log failures: %d requests served, %.0f access-log and %.0f session-log write errors"
                    + " counted, one stderr report each%n", 2 * REQUESTS, accessErrors, sessionErrors);
        } finally {
            gateway.destroyForcibly();
        }
    }

    private static double counter(String metrics, String series) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no " + series + " in the metrics");
    }

    private static String scrape(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        return r.body();
    }

    /** The TLS and admin ports from the start-up output; the output keeps being collected. */
    private static int[] awaitPorts(Process gateway, List<String> output) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(gateway.getInputStream(), StandardCharsets.UTF_8));
        int tls = 0;
        for (String line; (line = out.readLine()) != null; ) {
            output.add(line);
            Matcher t = TLS_PORT.matcher(line);
            if (t.find()) {
                tls = Integer.parseInt(t.group(1));
            }
            Matcher a = ADMIN_PORT.matcher(line);
            if (a.find() && tls != 0) {
                int admin = Integer.parseInt(a.group(1));
                Thread drain = new Thread(() -> {
                    try {
                        for (String l; (l = out.readLine()) != null; ) {
                            output.add(l);
                        }
                    } catch (java.io.IOException ignored) {
                        // the process ended
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return new int[] {tls, admin};
            }
        }
        throw new AssertionError("no TLS and admin listener lines: " + output);
    }
}
