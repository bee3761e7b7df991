package dev.muxgate.gateway.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real SPDY/3.1 client (Node's spdy-transport) that cancels downloads keeps its session. It
 * answers each DATA frame still in flight for a cancelled stream with RST_STREAM(INVALID_STREAM);
 * those echoes once counted as resets, so a client that cancelled three 10 MiB downloads was
 * cut off as a rapid-reset flood (found by bench/soak.sh).
 */
@Timeout(120)
class SpdyClientCancelTest {

    @TempDir
    Path dir;

    private SpdyGateway gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void cancellingDownloadsWithNodesSpdyClientIsNotTakenForARapidResetFlood() throws Exception {
        gw = SpdyGateway.start(dir);
        Path root = repoRoot();
        assertTrue(Files.isDirectory(root.resolve("node_modules/spdy-transport")),
                "Node's spdy-transport package is missing: run bin/test-setup (npm ci from package-lock.json)");
        Process p = new ProcessBuilder("node", root.resolve("gateway/src/test/node/spdy-cancels.js").toString(),
                String.valueOf(gw.port()), "30").directory(root.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("\"cancelled\":30"), out);
        assertTrue(out.contains("\"goaway\":false"), out);
        assertTrue(out.contains("\"afterBytes\":100"), out);
        assertTrue(gw.metrics().contains("muxgate_protocol_errors_total{kind=\"rst_flood\"} 0.0"), gw.metrics());
        System.out.println("spdy cancels: " + out);
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
