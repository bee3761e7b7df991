package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --engine spark} in local mode gives what the builtin engine gives, on generated logs over
 * several files: plain, gzip, and one with bad lines (non-UTF-8, CRLF, a line over 1 MiB, a last
 * line with no newline). One Spark session serves the class; the engine runs its jobs on it.
 */
class SparkEngineTest {

    @TempDir
    static Path dir;

    static SparkSession spark;
    static List<String> files;
    static Path sessionLog;

    @BeforeAll
    static void startSparkAndWriteLogs() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("SparkEngineTest")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        List<String> lines = GeneratedLogTest.lines();
        int third = lines.size() / 3;
        Path plain = write("access.log", lines.subList(0, third));
        Path gzip = LogFixtures.gzip(dir.resolve("access.log.1.gz"), String.join("\n", lines.subList(third, 2 * third)) + "\n");
        // Its sessions are the first lines' again: they meet their other streams from another file.
        Path awkward = Files.write(dir.resolve("awkward.log"), LogChunkTest.awkwardLog());
        Path rest = write("access.log.2", lines.subList(2 * third, lines.size()));
        files = Stream.of(plain, gzip, awkward, rest).map(Path::toString).toList();

        // A session log that agrees on all sessions but two: one count off, one session with no stream.
        LogTally truth = builtin(files, LogInputs.CHUNK_BYTES);
        List<String> sessions = new ArrayList<>();
        boolean changed = false;
        for (var e : truth.sessions.entrySet()) {
            if (e.getKey().untagged()) {
                continue;
            }
            long streams = e.getValue().streams;
            if (!changed && streams > 3) {
                streams--;
                changed = true;
            }
            sessions.add(LogFixtures.session(1_700_000_000_000L, e.getKey().id(), e.getKey().protocol(), streams));
        }
        sessions.add(LogFixtures.session(1_700_000_000_000L, 999_999, "h2", 4));
        sessionLog = write("session.log", sessions);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static Path write(String name, List<String> lines) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n", StandardCharsets.ISO_8859_1);
    }

    /** The builtin engine's tally of {@code names}, large plain files read as chunks of {@code chunkBytes}. */
    private static LogTally builtin(List<String> names, long chunkBytes) {
        return new LogInputs(names, null, chunkBytes).foldAll(2,
                (name, in) -> AccessLogFold.fold(LogFixtures.DEFAULT, true, name, in),
                (name, e) -> {
                    throw new AssertionError(name, e);
                });
    }

    private static String[] with(String[] args, String... more) {
        String[] all = new String[args.length + more.length + files.size()];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        for (int i = 0; i < files.size(); i++) {
            all[args.length + more.length + i] = files.get(i);
        }
        return all;
    }

    private static void assertSameReport(String... command) {
        LogFixtures.Run builtin = LogFixtures.run(with(command));
        LogFixtures.Run spark = LogFixtures.run(with(command, "--engine", "spark"));
        String what = String.join(" ", command);
        assertEquals(builtin.out(), spark.out(), what);
        assertEquals(builtin.err(), spark.err(), what);
        assertEquals(builtin.status(), spark.status(), what + ": " + spark.err());
        // Not two empty reports: the generated protocols are there, and the bad lines were seen.
        assertTrue(spark.out().contains("spdy/3.1"), what + ": " + spark.out());
        assertTrue(spark.err().contains("awkward.log:3:"), what + ": " + spark.err());
    }

    @Test
    void summaryJsonIsTheBuiltinEnginesOverSeveralFilesWithBadLines() {
        assertSameReport("summary", "--output", "json");
    }

    @Test
    void topSessionsJsonIsTheBuiltinEngines() {
        assertSameReport("sessions", "--top", "5", "--output", "json");
        assertSameReport("sessions", "--top", "20", "--sort", "bytes", "--output", "json");
    }

    @Test
    void correlateJsonAndExitStatusAreTheBuiltinEngines() {
        LogFixtures.Run run = LogFixtures.run(with(new String[] {"correlate", "--sessions", sessionLog.toString(),
                "--output", "json"}, "--engine", "spark"));
        assertEquals(Main.EXIT_DISAGREE, run.status(), run.err());
        assertTrue(run.out().contains("999999"), run.out());
        assertSameReport("correlate", "--sessions", sessionLog.toString(), "--output", "json");
    }

    @Test
    void timelineJsonIsTheBuiltinEngines() {
        assertSameReport("timeline", "--output", "json");
    }

    @Test
    void chunkedFilesGiveTheWholeFilesTallyWithTheFilesLineNumbers() throws IOException {
        LogTally whole = builtin(files, LogInputs.CHUNK_BYTES);
        // From a chunk per few lines to a few chunks per file: every part is a Spark task.
        for (long chunkBytes : new long[] {20_000, 150_000}) {
            assertTrue(LogInputs.chunks(files.get(2), chunkBytes).size() >= 2);
            LogTally spark = new SparkFoldEngine().fold(
                    new FoldEngine.Request(files, LogFixtures.DEFAULT.toString(), true, null, chunkBytes));
            assertEquals(whole, spark, "chunks of " + chunkBytes);
            assertEquals(whole.sessions, spark.sessions);
            assertEquals(whole.streamsPerMinute.keySet(), spark.streamsPerMinute.keySet());
            List<Long> badLines = spark.samples.stream().filter(m -> m.source().endsWith("awkward.log"))
                    .map(LogTally.Malformed::line).toList();
            assertEquals(LogChunkTest.BAD_LINES, badLines);
        }
    }

    @Test
    void anUnreadableFileIsReportedAsByTheBuiltinEngine() throws IOException {
        Path unreadable = Files.writeString(dir.resolve("gone.log"), "x\n");
        List<String> names = List.of(files.get(0), unreadable.toString());
        List<SparkPart> parts = SparkPart.plan(names, LogInputs.CHUNK_BYTES);
        Files.delete(unreadable);
        // Deleted between the plan and the task: the task says so and the other file still counts.
        SparkTally tally = SparkTally.fold(parts.get(1), LogFixtures.DEFAULT.toString(), false);
        LogTally result = SparkTally.combine(SparkTally.fold(parts.get(0), LogFixtures.DEFAULT.toString(), false), tally)
                .result();
        assertEquals(1, result.errors.size(), result.errors.toString());
        assertTrue(result.errors.get(0).toString().startsWith(unreadable + ": cannot open"), result.errors.toString());
        try (InputStream in = Files.newInputStream(Path.of(files.get(0)))) {
            assertEquals(AccessLogFold.fold(LogFixtures.DEFAULT, false, files.get(0), in).sessions, result.sessions);
        }
    }

    @Test
    void usageErrorsOfTheEngineOptionsExitTwoInOneSentence() {
        for (String[] args : new String[][] {{"summary", "--master", "local[1]", files.get(0)},
                {"summary", "--engine", "spark", "-"}, {"summary", "--engine", "flink", files.get(0)}}) {
            LogFixtures.Run run = LogFixtures.run(args);
            assertEquals(Main.EXIT_USAGE, run.status(), String.join(" ", args) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
    }
}
