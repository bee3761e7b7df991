package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser: Debian's headless Chromium (installed by bin/test-setup, driven by npm
 * playwright-core from the committed lock file) loads the demo page over h2 and runs the page's
 * WebSocket against the demo echo. The access log proves the WebSocket itself went over HTTP/2,
 * as an extended CONNECT (RFC 8441) on the page's session: its line is tagged h2 with the page's
 * piid, and its origin answered 101. Chromium and the package are required: without them this fails.
 */
@Timeout(240)
class ChromiumWebSocketTest {

    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[-\\w.]+)");

    @TempDir
    Path dir;

    private H2Gateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = H2Gateway.start(dir);
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void theDemoPagesWebSocketRunsOverH2InChromium() throws Exception {
        Path root = NodeWebSocketClientTest.repoRoot();
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Debian's chromium is missing: run bin/test-setup");
        assertTrue(Files.isDirectory(root.resolve("node_modules/playwright-core")),
                "playwright-core is missing: run bin/test-setup (npm ci from package-lock.json)");
        Path profile = Files.createDirectory(dir.resolve("chromium-profile"));
        Map<String, String> r;
        try {
            r = run(root, "node", root.resolve("gateway/src/test/node/chromium-ws.js").toString(),
                    String.valueOf(gw.port()), profile.toString());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\naccess log:\n" + H2Gateway.show(gw.lines()), e);
        }
        assertEquals("h2", r.get("pageProtocol"), r.toString());
        String log = r.get("log");
        assertTrue(log.contains("echo:_hello_from_chromium") && log.contains("echo:_second_message"), log);

        List<String[]> lines = gw.awaitLines(2);
        String[] page = lines.stream().filter(f -> f[H2Gateway.URL].endsWith("127.0.0.1:" + gw.port() + "/"))
                .findFirst().orElseThrow(() -> new AssertionError(H2Gateway.show(lines)));
        String[] ws = awaitWebSocketLine();
        assertEquals("h2", ws[H2Gateway.PITAG], "the WebSocket went over HTTP/2: " + String.join(" ", ws));
        assertEquals(page[H2Gateway.PIID], ws[H2Gateway.PIID], "on the page's own session");
        assertEquals("101", ws[H2Gateway.PSSC], String.join(" ", ws));
        assertTrue(Long.parseLong(ws[H2Gateway.PSQL]) > 0, String.join(" ", ws));
    }

    /** The tunnel's line is written when it ends: when Chromium closed and the stream went away. */
    private String[] awaitWebSocketLine() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (String[] f : gw.lines()) {
                if (f[H2Gateway.URL].endsWith("/ws")) {
                    return f;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access-log line for /ws:\n" + H2Gateway.show(gw.lines()));
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
            if (!p.waitFor(200, TimeUnit.SECONDS)) {
                throw new AssertionError("node did not finish: " + Files.readString(err));
            }
        } finally {
            if (p.isAlive()) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8).trim();
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "node failed: " + stdout + "\n" + stderr);
        Matcher m = FIELD.matcher(stdout);
        Map<String, String> fields = new HashMap<>();
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\"", ""));
        }
        assertTrue(!fields.isEmpty() && !fields.containsKey("error"), "node said: " + stdout + "\n" + stderr);
        return fields;
    }
}
