package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports over generated logs whose true counts are known: many protocols and sessions, rotated files. */
class GeneratedLogTest {

    /** h2 sessions of these sizes: nearest-rank p50 is the 4th of 7 (10), p90 the 7th (10,000). */
    static final long[] H2_SESSIONS = {1, 2, 5, 10, 100, 1000, 10_000};
    /** spdy/3.1 sessions of 1..200 streams: p50 100, p90 180, p99 198. */
    static final int SPDY_SESSIONS = 200;
    /** http/1.1 connections of one request each. */
    static final int HTTP11_SESSIONS = 1000;
    static final int UNTAGGED_LINES = 37;

    @TempDir
    Path dir;

    /** The lines, shuffled with a fixed seed so sessions interleave as on a busy gateway. */
    static List<String> lines() {
        List<String> lines = new ArrayList<>();
        long id = 1;
        for (long streams : H2_SESSIONS) {
            addSession(lines, "h2", id++, streams);
        }
        for (int s = 1; s <= SPDY_SESSIONS; s++) {
            addSession(lines, "spdy/3.1", id++, s);
        }
        for (int s = 0; s < HTTP11_SESSIONS; s++) {
            addSession(lines, "http/1.1", id++, 1);
        }
        for (int i = 0; i < UNTAGGED_LINES; i++) {
            lines.add(LogFixtures.access(1_700_000_000_000L + i, "10.9.9.9", "-", 0, 200, 1));
        }
        Collections.shuffle(lines, new Random(42));
        return lines;
    }

    private static void addSession(List<String> lines, String protocol, long id, long streams) {
        for (long i = 0; i < streams; i++) {
            lines.add(LogFixtures.access(1_700_000_000_000L + id * 1000 + i, "10.0." + (id % 256) + ".1",
                    protocol, id, i % 50 == 0 ? 500 : 200, 10));
        }
    }

    @Test
    void summaryOfSessionsFromOneToTenThousandStreamsHasTheTrueCounts() {
        List<ProtocolSummary> rows = ProtocolSummary.of(LogFixtures.fold(String.join("\n", lines()) + "\n"));
        assertEquals(List.of("h2", "http/1.1", "spdy/3.1", "untagged"),
                rows.stream().map(ProtocolSummary::protocol).toList());

        ProtocolSummary h2 = rows.get(0);
        assertEquals(H2_SESSIONS.length, h2.sessions());
        assertEquals(11_118, h2.streams());
        assertEquals(10_000, h2.max());
        assertEquals(10, h2.p50());
        assertEquals(10_000, h2.p90());
        assertEquals(11_118 * 10L, h2.bytes());
        // i % 50 == 0 is a 500: ceil(streams / 50) per session.
        assertEquals(1 + 1 + 1 + 1 + 2 + 20 + 200, h2.errors());

        ProtocolSummary http11 = rows.get(1);
        assertEquals(HTTP11_SESSIONS, http11.sessions());
        assertEquals(HTTP11_SESSIONS, http11.streams());
        assertEquals(1, http11.p50());
        assertEquals(1, http11.max());

        ProtocolSummary spdy = rows.get(2);
        assertEquals(SPDY_SESSIONS, spdy.sessions());
        assertEquals(SPDY_SESSIONS * (SPDY_SESSIONS + 1) / 2, spdy.streams());
        assertEquals(100, spdy.p50());
        assertEquals(180, spdy.p90());
        assertEquals(198, spdy.p99());
        assertEquals(200, spdy.max());
        assertEquals(100.5, spdy.mean(), 1e-9);

        ProtocolSummary untagged = rows.get(3);
        assertEquals(0, untagged.sessions());
        assertEquals(UNTAGGED_LINES, untagged.streams());
    }

    @Test
    void rotatedPlainAndGzipFilesReadTogetherEqualTheirConcatenation() throws IOException {
        List<String> lines = lines();
        int third = lines.size() / 3;
        // Oldest last, as logrotate names them; a session's streams span the rotations.
        Path current = Files.writeString(dir.resolve("access.log"),
                String.join("\n", lines.subList(2 * third, lines.size())) + "\n");
        Path rotated1 = Files.writeString(dir.resolve("access.log.1"),
                String.join("\n", lines.subList(third, 2 * third)) + "\n");
        Path rotated2 = LogFixtures.gzip(dir.resolve("access.log.2.gz"),
                String.join("\n", lines.subList(0, third)) + "\n");
        Path whole = Files.writeString(dir.resolve("whole.log"), String.join("\n", lines) + "\n");

        for (String command : new String[] {"summary", "sessions"}) {
            LogFixtures.Run together = LogFixtures.run(command, "--output", "json", "--threads", "3",
                    current.toString(), rotated1.toString(), rotated2.toString());
            LogFixtures.Run concatenated = LogFixtures.run(command, "--output", "json", whole.toString());
            assertEquals(0, together.status(), together.err());
            assertEquals("", together.err());
            assertEquals(concatenated.out(), together.out(), command);
            // The same files named by a glob the shell left alone (quoted).
            LogFixtures.Run globbed = LogFixtures.run(command, "--output", "json", dir.resolve("access.log*").toString());
            assertEquals(0, globbed.status(), globbed.err());
            assertEquals(concatenated.out(), globbed.out(), command + " with a glob");
        }
        LogFixtures.Run nothing = LogFixtures.run("summary", dir.resolve("nothing*.log").toString());
        assertEquals(2, nothing.status());
        assertTrue(nothing.err().contains("no such file"), nothing.err());
        LogFixtures.Run summary = LogFixtures.run("summary", "--output", "csv", whole.toString());
        assertTrue(summary.out().contains("\r\nh2,7,11118,"), summary.out());
    }
}
