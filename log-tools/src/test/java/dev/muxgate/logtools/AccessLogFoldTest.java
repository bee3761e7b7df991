package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogFoldTest {

    @TempDir
    Path dir;

    @Test
    void badLinesAreCountedWithTheirLineNumbersNotFatal() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write((LogFixtures.access(1000, "a", "h2", 1, 200, 10) + "\n").getBytes());
        bytes.write("# writer note\n".getBytes());
        bytes.write(new byte[] {'1', '.', '0', '0', '0', ' ', (byte) 0xFF, (byte) 0xFE, '\n'}); // line 3: not UTF-8
        byte[] huge = new byte[AccessLogFold.MAX_LINE * 2 + 7];
        Arrays.fill(huge, (byte) 'x');
        bytes.write(huge); // line 4
        bytes.write('\n');
        bytes.write("garbage\r\n".getBytes()); // line 5
        bytes.write((LogFixtures.access(2000, "a", "h2", 1, 404, 20)).getBytes()); // line 6, no newline
        LogTally tally = AccessLogFold.fold(LogFixtures.DEFAULT, false, "f.log", new ByteArrayInputStream(bytes.toByteArray()));
        assertEquals(2, tally.lines);
        assertEquals(1, tally.notes);
        assertEquals(3, tally.malformed);
        assertEquals(List.of(3L, 4L, 5L), tally.samples.stream().map(LogTally.Malformed::line).toList());
        assertTrue(tally.samples.get(1).reason().contains("longer than"));
        SessionTally session = tally.sessions.get(new SessionKey("h2", 1));
        assertEquals(2, session.streams);
        assertEquals(30, session.bytes);
        assertEquals(1, session.status(4));
    }

    @Test
    void readsGzipAndReportsATruncatedGzipWithTheLinesReadSoFar() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append(LogFixtures.access(1_000_000L + i, "c" + (i % 97), "h2", 1 + i % 10, 200, i)).append('\n');
        }
        Path gz = LogFixtures.gzip(dir.resolve("access.log.1.gz"), text.toString());
        LogInputs inputs = new LogInputs(List.of(gz.toString()), null);
        LogTally whole;
        try (var in = inputs.open(gz.toString())) {
            whole = AccessLogFold.fold(LogFixtures.DEFAULT, false, gz.toString(), in);
        }
        assertEquals(50_000, whole.lines);
        assertTrue(whole.errors.isEmpty());

        byte[] all = Files.readAllBytes(gz);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(all, all.length / 2));
        LogTally partial;
        try (var in = inputs.open(cut.toString())) {
            partial = AccessLogFold.fold(LogFixtures.DEFAULT, false, cut.toString(), in);
        }
        assertEquals(1, partial.errors.size(), partial.errors.toString());
        assertTrue(partial.errors.get(0).toString().contains("ends early"));
        assertTrue(partial.lines > 0 && partial.lines < 50_000, "lines read before the cut: " + partial.lines);
    }

    @Test
    void partialsMergeTheSameInAnyOrder() {
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        StringBuilder c = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            String line = LogFixtures.access(5_000_000L + (i * 7919L) % 600_000, "10.0.0." + (i % 5),
                    i % 3 == 0 ? "spdy/3.1" : "h2", 1 + i % 40, 200 + 100 * (i % 4), i) + "\n";
            (i % 3 == 0 ? a : i % 3 == 1 ? b : c).append(line);
        }
        a.append("bad line\n");
        LogTally ta = LogFixtures.fold(a.toString());
        LogTally tb = LogFixtures.fold(b.toString());
        LogTally tc = LogFixtures.fold(c.toString());
        LogTally all = LogFixtures.fold(a.toString() + b + c);
        LogTally abThenC = LogTally.combine(LogTally.combine(ta, tb), tc);
        LogTally aThenBc = LogTally.combine(ta, LogTally.combine(tb, tc));
        LogTally cba = LogTally.combine(LogTally.combine(tc, tb), ta);
        assertEquals(abThenC, aThenBc);
        assertEquals(abThenC, cba);
        assertEquals(all.sessions, abThenC.sessions);
        assertEquals(all.lines, abThenC.lines);
        assertEquals(all.malformed, abThenC.malformed);
        assertEquals(LogTally.combine(ta, tb).sessions, LogTally.combine(tb, ta).sessions);
    }
}
