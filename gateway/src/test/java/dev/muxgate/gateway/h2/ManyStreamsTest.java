package dev.muxgate.gateway.h2;

import static dev.muxgate.gateway.h2.H2Gateway.PIID;
import static dev.muxgate.gateway.h2.H2Gateway.PITAG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** nghttp and h2load: many concurrent streams on one session, and thousands over a few sessions. */
@Timeout(120)
class ManyStreamsTest {

    private static final Pattern H2LOAD_REQUESTS = Pattern.compile(
            "requests: (\\d+) total, (\\d+) started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");

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
    void nghttpSendsAHundredConcurrentStreamsOnOneSessionAllLoggedWithOnePiid() throws Exception {
        assumeTrue(Tool.installed("nghttp"), "nghttp is installed by bin/test-setup");
        Tool.Result r = Tool.run(dir, 60, "nghttp", "-n", "-v", "-m", "100", "-t", "30", gw.url("/bytes/4096"));
        assertEquals(0, r.exit(), r.stderr());
        long ok = r.stdout().lines().filter(l -> l.contains(":status: 200")).count();
        assertEquals(100, ok, r.stderr());
        List<String[]> lines = gw.awaitLines(100);
        assertEquals(100, lines.size());
        Map<String, Long> byPiid = lines.stream().collect(Collectors.groupingBy(f -> f[PIID], Collectors.counting()));
        assertEquals(Map.of("1", 100L), byPiid);
        assertTrue(lines.stream().allMatch(f -> f[PITAG].equals("h2") && f[H2Gateway.PSSC].equals("200")
                && f[H2Gateway.PSQL].equals("4096")), H2Gateway.show(lines));
    }

    @Test
    void h2loadRunsFiveThousandStreamsOverTenSessionsWithoutFailure() throws Exception {
        assumeTrue(Tool.installed("h2load"), "h2load is installed by bin/test-setup");
        Tool.Result r = Tool.run(dir, 90, "h2load", "-n", "5000", "-c", "10", "-m", "20", "-T", "30",
                gw.url("/bytes/1024"));
        assertEquals(0, r.exit(), r.all());
        Matcher m = H2LOAD_REQUESTS.matcher(r.stdout());
        assertTrue(m.find(), r.all());
        assertEquals("5000", m.group(4), m.group());
        assertEquals("0", m.group(5), m.group());
        assertEquals("0", m.group(6), m.group());
        List<String[]> lines = gw.awaitLines(5000);
        assertEquals(5000, lines.size());
        Map<String, Long> byPiid = lines.stream().collect(Collectors.groupingBy(f -> f[PIID], Collectors.counting()));
        assertEquals(10, byPiid.size(), byPiid.toString());
        assertTrue(lines.stream().allMatch(f -> f[PITAG].equals("h2") && f[H2Gateway.PSSC].equals("200")),
                H2Gateway.show(lines));
        Map<String, Long> status = lines.stream().collect(Collectors.groupingBy(f -> f[H2Gateway.SSSC],
                Collectors.counting()));
        assertEquals(Map.of("200", 5000L), status);
        assertEquals(500L, byPiid.values().stream().mapToLong(Long::longValue).max().orElse(0),
                "h2load spreads -n evenly over -c clients: " + byPiid);
    }
}
