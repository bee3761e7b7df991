package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The short soak: {@code bench/soak.sh} for 90 seconds against a gateway process started from this
 * build's classes, with the leak detector at paranoid. It fails on any client error, any failed
 * access-log line, any protocol error counted, any leak report, an exit status other than 0 after
 * SIGTERM, RSS growth past 64 MiB or open-fd growth past 32 between the second and the last
 * quarter of the run (the script's bounds). The 30-minute run is the same script with its default
 * duration.
 */
@Timeout(420)
class SoakTest {

    @TempDir
    Path dir;

    @Test
    void ninetySecondsOfMixedTrafficWithResetsAndSlowClientsLeaveNoErrorsNoLeaksAndNoGrowth() throws Exception {
        Path root = repoRoot();
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bench/soak.sh").toString())
                .directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("soak.out").toFile());
        pb.environment().put("DURATION", "90");
        pb.environment().put("SAMPLE_INTERVAL", "5");
        pb.environment().put("SOAK_DIR", dir.resolve("soak").toString());
        pb.environment().put("MUXGATE_CP", System.getProperty("java.class.path"));
        Process soak = pb.start();
        boolean ended = soak.waitFor(360, TimeUnit.SECONDS);
        if (!ended) {
            soak.destroy();
            soak.waitFor(20, TimeUnit.SECONDS);
        }
        List<String> out = Files.readAllLines(dir.resolve("soak.out"), StandardCharsets.UTF_8);
        String last = out.isEmpty() ? "(no output)" : out.get(out.size() - 1);
        System.out.println(String.join("\n", out));
        assertTrue(ended, "the soak did not end: " + last);
        assertEquals(0, soak.exitValue(), String.join("\n", out));
        assertTrue(last.endsWith(": PASS"), last);
    }

    private static Path repoRoot() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bench/soak.sh"))) {
                return d;
            }
        }
        throw new AssertionError("bench/soak.sh not found above " + Path.of("").toAbsolutePath());
    }
}
