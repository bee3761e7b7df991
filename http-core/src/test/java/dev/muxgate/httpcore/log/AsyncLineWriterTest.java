package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.LineLogConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic writer on its own, with a record type and formatter of the test's: the same
 * guarantees the access log's tests check through {@link AsyncAccessLogWriter}, plus what only a
 * caller-supplied formatter can get wrong.
 */
class AsyncLineWriterTest {

    private static final Instant START = Instant.parse("2024-11-25T15:53:20Z");
    private static final String THREAD = "muxgate-test-log";

    /** A record of the test's own: "id text", text escaped as every log field is. */
    private record Entry(long id, String text) {
        static void formatTo(StringBuilder line, Entry entry) {
            line.append(entry.id()).append(' ');
            FieldText.escapeTo(line, entry.text());
        }
    }

    @TempDir
    Path dir;

    private static LineLogConfig config(Path path, long rotateBytes, Duration rotateInterval, int keep, int queue) {
        return new LineLogConfig(path, rotateBytes, rotateInterval, keep, queue);
    }

    private static AsyncLineWriter<Entry> open(LineLogConfig config) {
        return open(config, Clock.systemUTC(), System.err);
    }

    private static AsyncLineWriter<Entry> open(LineLogConfig config, Clock clock) {
        return open(config, clock, System.err);
    }

    private static AsyncLineWriter<Entry> open(LineLogConfig config, Clock clock, PrintStream err) {
        return AsyncLineWriter.builder(config, Entry::formatTo)
                .name("test log")
                .threadName(THREAD)
                .clock(clock)
                .errorStream(err)
                .start();
    }

    private static Entry entry(long id) {
        return new Entry(id, "/r");
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    private static List<String> entries(Path file) throws IOException {
        return lines(file).stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static String contentOf(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFileThatIsNotRegularIsNeverRotated() throws Exception {
        // A log sent to a FIFO (or /dev/stdout, or a device) must not be renamed away by rotation.
        Path fifo = dir.resolve("pipe.log");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assumeTrue(mkfifo.waitFor() == 0, "mkfifo works here");
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (java.io.InputStream in = Files.newInputStream(fifo)) {
                in.transferTo(received);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        reader.start();
        try (AsyncLineWriter<Entry> log = open(config(fifo, 64, Duration.ofMillis(1), 2, 256))) {
            for (int i = 0; i < 50; i++) {
                log.log(entry(i));
                Thread.sleep(1);
            }
        }
        reader.join(10_000);
        assertEquals(50, received.toString(StandardCharsets.UTF_8).lines().count(), "every line went through the FIFO");
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the FIFO is still in its place");
        try (var siblings = Files.list(dir)) {
            assertEquals(List.of(fifo), siblings.toList(), "nothing was rotated beside it");
        }
    }

    @Test
    void writesALinePromptlyWithoutWaitingForClose() throws Exception {
        Path file = dir.resolve("logs/nested/test.log");
        try (AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, 16))) {
            log.log(new Entry(1, "first line"));
            await(() -> contentOf(file).equals("1 first\\x20line\n"), "the line is flushed");
        }
    }

    @Test
    void runsOneNonDaemonThreadNamedByTheCallerUntilClosed() throws Exception {
        AsyncLineWriter<Entry> log = open(config(dir.resolve("test.log"), 0, Duration.ZERO, 0, 16));
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(THREAD)).findFirst().orElseThrow();
        assertFalse(writer.isDaemon());
        log.close();
        writer.join(10_000);
        assertFalse(writer.isAlive());
    }

    @Test
    void concurrentLoggingThenCloseLosesNothing() throws Exception {
        Path file = dir.resolve("test.log");
        int threads = 8;
        int perThread = 25_000;
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, threads * perThread));
        List<Thread> loggers = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread logger = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    log.log(entry(base + i));
                }
            });
            logger.start();
            loggers.add(logger);
        }
        go.countDown();
        for (Thread logger : loggers) {
            logger.join();
        }
        log.close();

        List<String> lines = lines(file);
        assertEquals(0, log.droppedLines());
        assertEquals(threads * perThread, lines.size());
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(line.substring(0, line.indexOf(' ')));
        }
        assertEquals(threads * perThread, ids.size());
        assertEquals(threads * perThread, log.writtenLines());
    }

    @Test
    void closeRacingWithLoggersWritesEveryAcceptedLine() throws Exception {
        Path file = dir.resolve("test.log");
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, 512));
        AtomicLong attempted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            Thread logger = new Thread(() -> {
                while (!stop.get()) {
                    log.log(entry(attempted.incrementAndGet()));
                }
            });
            logger.start();
            loggers.add(logger);
        }
        await(() -> log.writtenLines() > 10_000, "the loggers are well under way");
        log.close();
        stop.set(true);
        for (Thread logger : loggers) {
            logger.join();
        }

        assertEquals(attempted.get() - log.droppedLines(), entries(file).size());
    }

    @Test
    void countsLinesDroppedWhenTheQueueIsFullAndSaysSoInTheFileUnderItsName() throws Exception {
        Path file = dir.resolve("test.log");
        FakeClock clock = new FakeClock(START, THREAD);
        clock.holdWriterThread();
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, 10), clock);
        for (int i = 1; i <= 15; i++) {
            log.log(entry(i));
        }
        assertEquals(5, log.droppedLines());
        clock.releaseWriterThread();
        await(() -> contentOf(file).contains("# muxgate"), "the drop note is written");
        log.log(entry(16));
        log.close();

        List<String> lines = lines(file);
        assertEquals(12, lines.size(), lines::toString);
        assertEquals("# muxgate: 5 test log lines dropped (queue full)", lines.get(10));
        assertEquals("1 /r", lines.get(0));
        assertEquals("10 /r", lines.get(9));
        assertEquals("16 /r", lines.get(11));
        assertEquals(5, log.droppedLines());
    }

    @Test
    void dropsLinesLoggedAfterCloseAndClosesOnlyOnce() throws Exception {
        Path file = dir.resolve("test.log");
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, 10));
        log.log(entry(1));
        log.close();
        log.log(entry(2));
        log.close();
        assertEquals(List.of("1 /r"), lines(file));
        assertEquals(1, log.droppedLines());
    }

    @Test
    void rotatesBySizeAndKeepsTheNewestFiles() throws Exception {
        Path file = dir.resolve("test.log");
        // "NN /r\n" is 6 bytes: 5 lines fill a 30-byte file exactly.
        AsyncLineWriter<Entry> log = open(config(file, 30, Duration.ZERO, 2, 100), new FakeClock(START, THREAD));
        for (int i = 10; i < 28; i++) {
            log.log(entry(i));
        }
        log.close();

        assertEquals(List.of("25 /r", "26 /r", "27 /r"), lines(file));
        Path second = dir.resolve("test.log.20241125-155320.1");
        Path third = dir.resolve("test.log.20241125-155320.2");
        assertEquals(Set.of(file, second, third), filesIn(dir));
        assertEquals(List.of("15 /r", "16 /r", "17 /r", "18 /r", "19 /r"), lines(second));
        assertEquals(List.of("20 /r", "21 /r", "22 /r", "23 /r", "24 /r"), lines(third));
    }

    @Test
    void keepsEveryRotatedFileWhenKeepIsZero() throws Exception {
        Path file = dir.resolve("test.log");
        AsyncLineWriter<Entry> log = open(config(file, 6, Duration.ZERO, 0, 100), new FakeClock(START, THREAD));
        for (int i = 10; i < 20; i++) {
            log.log(entry(i));
        }
        log.close();
        assertEquals(10, filesIn(dir).size());
    }

    @Test
    void rotatesByTimeFromWhenTheFileWasOpened() throws Exception {
        Path file = dir.resolve("test.log");
        FakeClock clock = new FakeClock(START, THREAD);
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ofHours(1), 0, 100), clock);
        log.log(entry(1));
        await(() -> log.writtenLines() == 1, "the first line is written");
        clock.advance(Duration.ofMinutes(59));
        log.log(entry(2));
        await(() -> log.writtenLines() == 2, "the second line is written");
        clock.advance(Duration.ofMinutes(1));
        log.log(entry(3));
        log.close();

        Path rotated = dir.resolve("test.log.20241125-165320");
        assertEquals(Set.of(file, rotated), filesIn(dir));
        assertEquals(List.of("1 /r", "2 /r"), lines(rotated));
        assertEquals(List.of("3 /r"), lines(file));
    }

    @Test
    void rotatesAQuietFileByTimeWithoutANewLine() throws Exception {
        Path file = dir.resolve("test.log");
        FakeClock clock = new FakeClock(START, THREAD);
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ofHours(1), 0, 100), clock);
        log.log(entry(1));
        await(() -> log.writtenLines() == 1, "the line is written");
        clock.advance(Duration.ofHours(2));
        Path rotated = dir.resolve("test.log.20241125-175320");
        await(() -> Files.exists(rotated), "the idle writer rotates");
        log.close();
        assertEquals(List.of("1 /r"), lines(rotated));
        assertEquals(List.of(), lines(file));
    }

    @Test
    void reopensThePathAfterAnExternalRename() throws Exception {
        Path file = dir.resolve("test.log");
        Path moved = dir.resolve("test.log.moved");
        AsyncLineWriter<Entry> log = open(config(file, 0, Duration.ZERO, 0, 100));
        log.log(entry(1));
        await(() -> contentOf(file).equals("1 /r\n"), "the first line is flushed");
        Files.move(file, moved);
        log.reopen();
        log.log(entry(2));
        log.close();
        assertEquals(List.of("1 /r"), lines(moved));
        assertEquals(List.of("2 /r"), lines(file));
    }

    @Test
    void anUnwritablePathCountsErrorsReportsThemUnderItsNameAndIsTriedAgain() throws Exception {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "a file where the log directory should be");
        Path file = blocker.resolve("test.log");
        FakeClock clock = new FakeClock(START, THREAD);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AsyncLineWriter<Entry> log = open(
                config(file, 0, Duration.ZERO, 0, 100), clock, new PrintStream(err, true, StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
            log.log(entry(i));
        }
        await(() -> log.writeErrors() >= 6, "the open at start and every line count as errors");
        String reports = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, reports.lines().count(), reports);
        assertTrue(reports.contains("muxgate: test log " + file + ": cannot open"), reports);

        Files.delete(blocker);
        clock.advance(LiveLogFile.RETRY_DELAY);
        log.log(entry(42));
        log.close();
        assertEquals(List.of("42 /r"), lines(file));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("test log " + file + ": writing again"),
                err::toString);
        assertEquals(6, log.writeErrors());
    }

    @Test
    void aFullDiskIsReportedAtMostOncePerMinute() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full");
        FakeClock clock = new FakeClock(START, THREAD);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AsyncLineWriter<Entry> log = open(
                config(full, 0, Duration.ZERO, 0, 100), clock, new PrintStream(err, true, StandardCharsets.UTF_8));
        log.log(entry(1));
        await(() -> log.writeErrors() == 1, "the flush fails");
        for (int i = 0; i < 3; i++) {
            clock.advance(LiveLogFile.RETRY_DELAY);
            long before = log.writeErrors();
            log.log(entry(2 + i));
            await(() -> log.writeErrors() == before + 1, "the retried flush fails");
        }
        clock.advance(WriteErrorReport.INTERVAL);
        log.log(entry(9));
        await(() -> log.writeErrors() == 5, "the last flush fails");
        log.close();

        List<String> reports = err.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
        assertEquals(2, reports.size(), reports::toString);
        assertTrue(reports.get(0).contains("No space left on device"), reports::toString);
        assertTrue(reports.get(1).contains("3 more failures since the last report"), reports::toString);
    }

    @Test
    void aFormatterThatThrowsCostsOneLineNotTheWriter() throws Exception {
        Path file = dir.resolve("test.log");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LineFormatter<Entry> failsOnTwo = (line, e) -> {
            if (e.id() == 2) {
                throw new IllegalStateException("bug");
            }
            Entry.formatTo(line, e);
        };
        AsyncLineWriter<Entry> log = AsyncLineWriter.builder(config(file, 0, Duration.ZERO, 0, 10), failsOnTwo)
                .name("test log").threadName(THREAD).errorStream(new PrintStream(err, true, StandardCharsets.UTF_8))
                .start();
        log.log(entry(1));
        log.log(entry(2));
        log.log(entry(3));
        log.close();
        assertEquals(List.of("1 /r", "3 /r"), lines(file));
        assertEquals(1, log.writeErrors());
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot format a line (IllegalStateException: bug)"),
                err::toString);
    }

    @Test
    void aFormatterThatWritesALineBreakCannotForgeALine() throws Exception {
        Path file = dir.resolve("test.log");
        LineFormatter<Entry> unescaped = (line, e) -> line.append(e.id()).append(' ').append(e.text());
        AsyncLineWriter<Entry> log = AsyncLineWriter.builder(config(file, 0, Duration.ZERO, 0, 10), unescaped)
                .name("test log").threadName(THREAD)
                .errorStream(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .start();
        log.log(new Entry(1, "ok"));
        log.log(new Entry(2, "x\n3 forged"));
        log.log(new Entry(4, "x\rforged"));
        log.log(new Entry(5, "ok"));
        log.close();
        assertEquals(List.of("1 ok", "5 ok"), lines(file));
        assertEquals(2, log.writeErrors());
    }

    @Test
    void refusesToStartWithoutANameOrAThreadName() {
        LineLogConfig config = config(dir.resolve("test.log"), 0, Duration.ZERO, 0, 10);
        assertThrows(IllegalStateException.class,
                () -> AsyncLineWriter.builder(config, Entry::formatTo).threadName(THREAD).start());
        assertThrows(IllegalStateException.class,
                () -> AsyncLineWriter.builder(config, Entry::formatTo).name("test log").start());
        assertFalse(Files.exists(dir.resolve("test.log")));
    }

    @Test
    void refusesAPathThatNamesNoFileInItsOwnName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AsyncLineWriter
                .builder(config(Path.of("/"), 0, Duration.ZERO, 0, 10), Entry::formatTo)
                .name("test log").threadName(THREAD).start());
        assertEquals("test log path / names no file", e.getMessage());
    }

    @Test
    void configRefusesBadSettingsNamingTheirKeys() {
        Path file = dir.resolve("test.log");
        assertThrows(IllegalArgumentException.class, () -> config(Path.of(""), 0, Duration.ZERO, 0, 10));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(file, -1, Duration.ZERO, 0, 10))
                .getMessage().contains("rotate-size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(file, 0, Duration.ofSeconds(-1), 0, 10))
                .getMessage().contains("rotate-interval"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(file, 0, Duration.ZERO, -1, 10))
                .getMessage().contains("keep"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> config(file, 0, Duration.ZERO, 0, 0))
                .getMessage().contains("queue-lines"));
    }

    private static Set<Path> filesIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toSet());
        }
    }
}
