package dev.muxgate.gateway.spdy;

import static dev.muxgate.gateway.spdy.SpdyGateway.CRC;
import static dev.muxgate.gateway.spdy.SpdyGateway.PIID;
import static dev.muxgate.gateway.spdy.SpdyGateway.PITAG;
import static dev.muxgate.gateway.spdy.SpdyGateway.PSQL;
import static dev.muxgate.gateway.spdy.SpdyGateway.URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real, independent SPDY/3.1 client: Node's {@code spdy} package's transport (installed by
 * bin/test-setup from the committed lock file) negotiates spdy/3.1 by ALPN and, on one session, fetches 30 streams at
 * once, a 64 MiB download, a POST body echoed back, and a download it resets after its first MiB.
 * Node and the package are required, not optional: without them this test fails.
 */
@Timeout(180)
class NodeSpdyClientTest {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-\\w.]+)");

    @TempDir
    Path dir;

    private SpdyGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = SpdyGateway.start(dir);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void nodeSpdyClientFetchesOverOneSpdy31SessionAndEveryStreamIsLoggedWithOnePiid() throws Exception {
        fetchOverOneSession("spdy/3.1");
    }

    @Test
    void nodeSpdyClientFetchesOverSpdy3TooWithoutASessionWindow() throws Exception {
        fetchOverOneSession("spdy/3");
    }

    private void fetchOverOneSession(String protocol) throws Exception {
        Path root = repoRoot();
        assertTrue(Files.isDirectory(root.resolve("node_modules/spdy-transport")),
                "Node's spdy-transport package is missing: run bin/test-setup (npm ci from package-lock.json)");
        Path script = root.resolve("gateway/src/test/node/spdy-client.js");
        Map<String, String> r;
        try {
            r = run(root, "node", script.toString(), String.valueOf(gw.port()), protocol);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\naccess log:\n" + SpdyGateway.show(tail(SpdyGateway.lines(gw.accessLog), 5)), e);
        }

        assertEquals(protocol, r.get("protocol"), r.toString());
        assertEquals("30", r.get("concurrentOk"), r.toString());
        assertEquals("200", r.get("largeStatus"), r.toString());
        assertEquals(String.valueOf(64 * 1024 * 1024), r.get("largeBytes"), r.toString());
        assertEquals("200", r.get("postStatus"), r.toString());
        assertEquals("true", r.get("postEchoed"), r.toString());
        assertEquals("true", r.get("resetAborted"), r.toString());
        assertEquals("200", r.get("afterResetStatus"), r.toString());
        assertEquals("100", r.get("afterResetBytes"), r.toString());

        List<String[]> lines = gw.awaitLines(34);
        assertEquals(34, lines.size(), SpdyGateway.show(lines));
        assertTrue(lines.stream().allMatch(f -> f[PITAG].equals(protocol)), SpdyGateway.show(lines));
        Map<String, Long> byPiid = lines.stream().collect(Collectors.groupingBy(f -> f[PIID], Collectors.counting()));
        assertEquals(1, byPiid.size(), "one session, one piid: " + byPiid);
        String[] reset = lines.stream().filter(f -> f[URL].endsWith("/bytes/1073741824")).findFirst().orElseThrow();
        assertEquals("ERR_CLIENT_ABORT", reset[CRC], String.join(" ", reset));
        assertTrue(Long.parseLong(reset[PSQL]) < 1024L * 1024 * 1024, String.join(" ", reset));
        List<String[]> sessions = gw.awaitSessionLines(1);
        assertEquals(protocol, sessions.get(0)[2]);
        assertEquals(byPiid.keySet().iterator().next(), sessions.get(0)[1]);
    }

    private Map<String, String> run(Path root, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "node", ".out");
        Path err = Files.createTempFile(dir, "node", ".err");
        Process p;
        try {
            p = new ProcessBuilder(command).directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError("node is not installed (bin/test-setup expects Node 20 and npm): " + e.getMessage());
        }
        try {
            if (!p.waitFor(150, TimeUnit.SECONDS)) {
                throw new AssertionError("node did not finish: " + Files.readString(err));
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "node failed: " + stdout + "\n" + stderr);
        Matcher m = FIELD.matcher(stdout);
        Map<String, String> fields = new java.util.HashMap<>();
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\"", ""));
        }
        assertTrue(!fields.isEmpty() && !fields.containsKey("error"), "node said: " + stdout + "\n" + stderr);
        return fields;
    }

    private static List<String[]> tail(List<String[]> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("package-lock.json"))) {
                return d;
            }
        }
        throw new AssertionError("package-lock.json not found above " + Path.of("").toAbsolutePath());
    }
}
