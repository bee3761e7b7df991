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
 * A real, independent WebSocket client over HTTP/1.1: Node's {@code ws} package (installed by
 * bin/test-setup from the committed lock file) talks to the demo origin's echo through the TLS
 * front end (a plugin connection tagged http/1.1) and through the core's plain listener: a text
 * message, a large binary one, a burst that needs backpressure, a clean close, and a handshake
 * the origin does not switch for. Node and the package are required: without them this fails.
 */
@Timeout(180)
class NodeWebSocketClientTest {

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
    void nodeWsTalksToTheDemoEchoThroughTheGatewayAndTheCore() throws Exception {
        Path root = repoRoot();
        assertTrue(Files.isDirectory(root.resolve("node_modules/ws")),
                "Node's ws package is missing: run bin/test-setup (npm ci from package-lock.json)");
        Map<String, String> r = run(root, "node", root.resolve("gateway/src/test/node/ws-client.js").toString(),
                String.valueOf(gw.port()), String.valueOf(gw.gateway.core().listenAddress().getPort()));
        for (String side : List.of("tls", "plain")) {
            assertEquals("true", r.get(side + "Text"), side + ": " + r);
            assertEquals("true", r.get(side + "Binary"), side + ": " + r);
            assertEquals("true", r.get(side + "Burst"), side + ": " + r);
            assertEquals("1000", r.get(side + "Close"), side + ": " + r);
        }
        assertEquals("unexpected-response_200", r.get("notWs"), r.toString());

        List<String[]> lines = gw.awaitLines(3);
        List<String[]> tunnels = lines.stream().filter(f -> f[H2Gateway.URL].endsWith("/ws")).toList();
        assertEquals(2, tunnels.size(), H2Gateway.show(lines));
        long overTls = tunnels.stream().filter(f -> f[H2Gateway.PITAG].equals("http/1.1")).count();
        assertEquals(1, overTls, "one tunnel through the TLS front end: " + H2Gateway.show(tunnels));
        long burst = 200L * 64 * 1024 + 512 * 1024;
        for (String[] t : tunnels) {
            assertEquals("101", t[H2Gateway.PSSC], String.join(" ", t));
            assertEquals("TCP_MISS", t[H2Gateway.CRC], String.join(" ", t));
            assertTrue(Long.parseLong(t[H2Gateway.PSQL]) > burst, "bytes to the client: " + String.join(" ", t));
        }
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
        Map<String, String> fields = new HashMap<>();
        while (m.find()) {
            fields.put(m.group(1), m.group(2).replace("\"", ""));
        }
        assertTrue(!fields.isEmpty() && !fields.containsKey("error"), "node said: " + stdout + "\n" + stderr);
        return fields;
    }

    static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("package-lock.json"))) {
                return d;
            }
        }
        throw new AssertionError("package-lock.json not found above " + Path.of("").toAbsolutePath());
    }
}
