package dev.muxgate.gateway.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.session.SessionLogFormat;
import dev.muxgate.httpcore.config.AccessLogConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three gateways with node ids 1, 2 and 3 serve the same traffic, so each numbers its sessions
 * 1, 2, 3, ...: merged, their logs show no {@code piid} that two gateways used, every number names
 * its node, and {@code muxgate-logs correlate} over all six files agrees (exit 0).
 */
@Timeout(180)
class FleetLogsTest {

    private static final int[] NODES = {1, 2, 3};
    private static final int SESSIONS_PER_GATEWAY = 3;

    @TempDir
    Path dir;

    @Test
    void mergedLogsOfThreeNodesHaveNoPiidCollisionAndCorrelate() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is installed by bin/test-setup");
        List<Path> accessLogs = new ArrayList<>();
        List<Path> sessionLogs = new ArrayList<>();
        for (int node : NODES) {
            Path access = dir.resolve("access-" + node + ".log");
            Path sessions = dir.resolve("session-" + node + ".log");
            accessLogs.add(access);
            sessionLogs.add(sessions);
            Path config = dir.resolve("gateway-" + node + ".yaml");
            Files.writeString(config, """
                    node-id: %d
                    listeners: {http: {host: 127.0.0.1, port: 0}}
                    tls: {host: 127.0.0.1, port: 0, state-dir: "%s"}
                    admin: {enabled: false}
                    warm-up: {requests: 0}
                    logs:
                      access: {path: "%s"}
                      session: {path: "%s"}
                    """.formatted(node, dir.resolve("state"), access, sessions));
            try (Gateway gateway = Gateway.start(GatewayConfig.load(config))) {
                String base = "https://127.0.0.1:" + gateway.tlsAddress().getPort();
                // Two h2 sessions of two streams, one HTTP/1.1 session of one: numbers 1..3 on every node.
                for (int i = 0; i < 2; i++) {
                    curl("-sSk", "--http2", "-o", "/dev/null", "-o", "/dev/null", base + "/", base + "/status/201");
                }
                curl("-sSk", "--http1.1", "-o", "/dev/null", base + "/bytes/10");
            }
        }

        // Merged: each piid belongs to one node, and it is the node its top bits name.
        Map<Long, Set<Integer>> nodesByPiid = new HashMap<>();
        Set<Long> sequences = new TreeSet<>();
        for (int i = 0; i < NODES.length; i++) {
            List<String> lines = Files.readAllLines(accessLogs.get(i));
            assertEquals(5, lines.size(), lines.toString());
            for (String line : lines) {
                long piid = Long.parseLong(line.split(" ")[4]);
                nodesByPiid.computeIfAbsent(piid, k -> new HashSet<>()).add(NODES[i]);
                assertEquals(NODES[i], piid >>> 48, line);
                sequences.add(piid & ((1L << 48) - 1));
            }
        }
        assertEquals(NODES.length * SESSIONS_PER_GATEWAY, nodesByPiid.size(), nodesByPiid.toString());
        nodesByPiid.forEach((piid, nodes) -> assertEquals(1, nodes.size(), piid + " used by nodes " + nodes));
        // The sequences are the same on every node: only the node bits keep the numbers apart.
        assertEquals(Set.of(1L, 2L, 3L), sequences);

        int nodeField = SessionLogFormat.FIELDS.indexOf("node");
        int numberField = SessionLogFormat.FIELDS.indexOf("number");
        for (int i = 0; i < NODES.length; i++) {
            List<String> lines = Files.readAllLines(sessionLogs.get(i));
            assertEquals(SESSIONS_PER_GATEWAY, lines.size(), lines.toString());
            for (String line : lines) {
                String[] f = line.split(" ");
                assertEquals(Integer.toString(NODES[i]), f[nodeField], line);
                assertTrue(nodesByPiid.containsKey(Long.parseLong(f[numberField])), line);
            }
        }

        String format = AccessLogConfig.defaults().format();
        List<String> correlate = new ArrayList<>(List.of("correlate", "--format", format));
        for (Path s : sessionLogs) {
            correlate.add("--sessions");
            correlate.add(s.toString());
        }
        accessLogs.forEach(a -> correlate.add(a.toString()));
        Run agree = logTools(correlate);
        assertEquals(0, agree.exit, agree.out + agree.err);

        List<String> sessionsReport = new ArrayList<>(List.of("sessions", "--format", format, "--output", "csv", "--top", "0"));
        accessLogs.forEach(a -> sessionsReport.add(a.toString()));
        Run report = logTools(sessionsReport);
        assertEquals(0, report.exit, report.err);
        List<String> rows = report.out.lines().toList();
        assertTrue(rows.get(0).startsWith("protocol,piid,node,"), rows.get(0));
        Map<String, Integer> perNode = new HashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            assertEquals(Long.parseLong(cells[1]) >>> 48, Long.parseLong(cells[2]), row);
            perNode.merge(cells[2], 1, Integer::sum);
        }
        assertEquals(Map.of("1", 3, "2", 3, "3", 3), perNode);
    }

    private static void curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "30"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(40, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    record Run(int exit, String out, String err) {
    }

    /** muxgate-logs as its own process (its exit status is the answer), from this test's class path. */
    private Run logTools(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.muxgate.logtools.Main"));
        cmd.addAll(args);
        Path out = Files.createTempFile(dir, "logs", ".out");
        Path err = Files.createTempFile(dir, "logs", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "muxgate-logs did not finish");
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
