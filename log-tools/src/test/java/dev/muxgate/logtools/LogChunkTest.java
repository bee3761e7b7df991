package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A large plain file read as newline-aligned chunks in parallel gives the same tally as reading it whole. */
class LogChunkTest {

    @TempDir
    Path dir;

    /** Line numbers (from 1) of the bad lines {@link #awkwardLog} writes, and the last line's number. */
    static final List<Long> BAD_LINES = List.of(3L, 700L, 1500L, 2200L, 3001L);

    /**
     * Generated sessions with, in between: a non-UTF-8 line, CRLF lines, a writer's note, an empty
     * line, a line of over 1 MiB, and a last line with no newline that is malformed.
     */
    static byte[] awkwardLog() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> lines = GeneratedLogTest.lines().subList(0, 2996);
        int next = 0;
        for (long number = 1; number <= 3000; number++) {
            if (number == 3) {
                out.writeBytes(new byte[] {'1', '.', '0', '0', '0', ' ', (byte) 0xFF, (byte) 0xFE, '\n'});
            } else if (number == 700) {
                out.writeBytes("\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (number == 1500) {
                byte[] huge = new byte[AccessLogFold.MAX_LINE + 10];
                Arrays.fill(huge, (byte) 'x');
                out.writeBytes(huge);
                out.write('\n');
            } else if (number == 2200) {
                out.writeBytes("not a line\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else if (number == 1000) {
                out.writeBytes("# note\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                String end = number % 3 == 0 ? "\r\n" : "\n";
                out.writeBytes((lines.get(next++) + end).getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        out.writeBytes("1.000 truncated".getBytes(StandardCharsets.ISO_8859_1)); // line 3001
        return out.toByteArray();
    }

    private static LogTally whole(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return AccessLogFold.fold(LogFixtures.DEFAULT, true, file.toString(), in);
        }
    }

    /**
     * Read as the tool reads: one workspace per reading thread, reused for every chunk that thread
     * folds, and the sessions of all of them drained once at the end.
     */
    private static LogTally chunked(Path file, long chunkBytes, int threads) {
        FoldWorkspaces workspaces = new FoldWorkspaces();
        LogTally tally = new LogInputs(List.of(file.toString()), null, chunkBytes).foldAll(threads,
                (name, in) -> AccessLogFold.fold(LogFixtures.DEFAULT, true, name, in, workspaces.get()),
                (name, e) -> {
                    throw new AssertionError(name, e);
                });
        workspaces.drainInto(tally);
        return tally;
    }

    @Test
    void chunksOfEverySizeGiveTheWholeFilesTallyWithItsLineNumbers() throws IOException {
        Path file = Files.write(dir.resolve("access.log"), awkwardLog());
        LogTally whole = whole(file);
        assertEquals(2995, whole.lines);
        assertEquals(1, whole.notes);
        assertEquals(BAD_LINES.size(), whole.malformed);
        assertEquals(BAD_LINES, whole.samples.stream().map(LogTally.Malformed::line).toList());
        assertTrue(whole.samples.get(2).reason().contains("longer than"), whole.samples.toString());
        // From a chunk per line to one chunk, on one thread and on several.
        for (long chunkBytes : new long[] {1, 997, 100_000, AccessLogFold.MAX_LINE, 3L << 20}) {
            for (int threads : chunkBytes == 997 ? new int[] {1, 3} : new int[] {3}) {
                LogTally chunked = chunked(file, chunkBytes, threads);
                assertEquals(whole, chunked, "chunks of " + chunkBytes + " on " + threads + " threads");
                assertEquals(whole.sessions, chunked.sessions);
            }
        }
    }

    @Test
    void linesCutByEveryReadGiveTheSameTally() throws IOException {
        byte[] bytes = awkwardLog();
        Path file = Files.write(dir.resolve("access.log"), bytes);
        java.util.Random random = new java.util.Random(3);
        // A stream that hands out 1 to 300 bytes per read, so lines and CRLFs are cut everywhere.
        InputStream trickle = new java.io.ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(300)));
            }
        };
        assertEquals(whole(file), AccessLogFold.fold(LogFixtures.DEFAULT, true, file.toString(), trickle));
    }

    @Test
    void chunkBoundariesFallJustAfterANewlineAndCoverTheFile() throws IOException {
        byte[] bytes = awkwardLog();
        Path file = Files.write(dir.resolve("access.log"), bytes);
        for (long chunkBytes : new long[] {1, 50, 4096, 1L << 20}) {
            List<LogChunk> chunks = LogChunk.split(file, bytes.length, chunkBytes);
            long at = 0;
            for (LogChunk chunk : chunks) {
                assertEquals(at, chunk.from());
                assertTrue(chunk.to() > chunk.from());
                assertTrue(chunk.to() == bytes.length || bytes[(int) chunk.to() - 1] == '\n', "chunk " + chunk);
                at = chunk.to();
            }
            assertEquals(bytes.length, at);
        }
    }

    @Test
    void chunkPartialsCombineToTheWholeInAnyGrouping() throws IOException {
        Path file = Files.write(dir.resolve("access.log"), awkwardLog());
        List<LogTally> parts = new ArrayList<>();
        long linesBefore = 0;
        for (LogChunk chunk : LogChunk.split(file, Files.size(file), 20_000)) {
            LogTally part;
            try (InputStream in = chunk.open()) {
                part = AccessLogFold.fold(LogFixtures.DEFAULT, true, file.toString(), in);
            }
            part.shiftLines(linesBefore);
            linesBefore += part.lineCount();
            parts.add(part);
        }
        assertTrue(parts.size() >= 3, "parts: " + parts.size());
        LogTally left = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            left = LogTally.combine(left, parts.get(i));
        }
        LogTally right = parts.get(parts.size() - 1);
        for (int i = parts.size() - 2; i >= 0; i--) {
            right = LogTally.combine(parts.get(i), right);
        }
        LogTally reversed = parts.get(parts.size() - 1);
        for (int i = parts.size() - 2; i >= 0; i--) {
            reversed = LogTally.combine(reversed, parts.get(i));
        }
        LogTally whole = whole(file);
        assertEquals(whole, left);
        assertEquals(whole, right);
        assertEquals(whole, reversed);
    }

    @Test
    void aReusedWorkspaceAddsUpTheSessionsOfEveryInputItFolded() throws IOException {
        Path awkward = Files.write(dir.resolve("awkward.log"), awkwardLog());
        Path other = Files.write(dir.resolve("other.log"),
                String.join("\n", GeneratedLogTest.lines().subList(5000, 5400)).getBytes(StandardCharsets.ISO_8859_1));
        FoldWorkspace workspace = new FoldWorkspace();
        LogTally expected = new LogTally();
        // The awkward log grows the input table; the smaller file after it must see none of its
        // rows in its own tally, and the workspace must hold the sum of all four.
        for (Path file : List.of(awkward, other, awkward, other)) {
            try (InputStream in = Files.newInputStream(file)) {
                LogTally reused = AccessLogFold.fold(LogFixtures.DEFAULT, true, file.toString(), in, workspace);
                LogTally alone = whole(file);
                assertTrue(reused.sessions.isEmpty(), "sessions stay in the workspace until drained");
                assertEquals(alone.lines, reused.lines, file.toString());
                assertEquals(alone.malformed, reused.malformed, file.toString());
                assertEquals(alone.samples, reused.samples, file.toString());
                assertEquals(alone.streamsPerMinute.keySet(), reused.streamsPerMinute.keySet(), file.toString());
                expected.mergeIn(alone);
            }
        }
        LogTally drained = new LogTally();
        workspace.drainInto(drained);
        assertEquals(expected.sessions, drained.sessions);
        LogTally again = new LogTally();
        workspace.drainInto(again);
        assertTrue(again.sessions.isEmpty(), "a drained workspace starts empty");
    }

    @Test
    void workspacesThatNumberedTheirProtocolsApartMergeByName() throws IOException {
        // The same session in both files, its protocols first seen in opposite orders, a protocol
        // only one workspace saw, and untagged lines in both.
        List<String> first = List.of(
                LogFixtures.access(1_700_000_000_000L, "10.0.0.1", "h2", 7, 200, 10),
                LogFixtures.access(1_700_000_000_001L, "10.0.0.2", "spdy/3.1", 8, 500, 20),
                LogFixtures.access(1_700_000_000_002L, "10.0.0.3", "-", 0, 200, 1));
        List<String> second = List.of(
                LogFixtures.access(1_700_000_000_003L, "10.0.0.2", "spdy/3.1", 8, 200, 40),
                LogFixtures.access(1_699_999_999_999L, "10.0.0.9", "h2", 7, 404, 80),
                LogFixtures.access(1_700_000_000_004L, "10.0.0.4", "http/1.1", 7, 200, 160),
                LogFixtures.access(1_700_000_000_005L, "10.0.0.3", "-", 0, 200, 2));
        Path a = Files.write(dir.resolve("a.log"), (String.join("\n", first) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        Path b = Files.write(dir.resolve("b.log"), (String.join("\n", second) + "\n").getBytes(StandardCharsets.ISO_8859_1));
        FoldWorkspaces workspaces = new FoldWorkspaces();
        // Two threads, one file each, so each workspace numbers the protocols in its own order.
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
            List<java.util.concurrent.Future<LogTally>> parts = new ArrayList<>();
            for (Path file : List.of(a, b)) {
                parts.add(pool.submit(() -> {
                    FoldWorkspace mine = workspaces.get();
                    both.countDown();
                    both.await();
                    try (InputStream in = Files.newInputStream(file)) {
                        return AccessLogFold.fold(LogFixtures.DEFAULT, false, file.toString(), in, mine);
                    }
                }));
            }
            for (java.util.concurrent.Future<LogTally> part : parts) {
                part.get();
            }
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new AssertionError(e);
        } finally {
            pool.shutdownNow();
        }
        LogTally drained = new LogTally();
        workspaces.drainInto(drained);
        LogTally expected = LogTally.combine(whole(a), whole(b));
        assertEquals(expected.sessions, drained.sessions);
        assertEquals(4, drained.sessions.size());
        SessionTally h2 = drained.sessions.get(new SessionKey("h2", 7));
        assertEquals(2, h2.streams);
        assertEquals("10.0.0.9", h2.client, "the earliest line's client");
        assertEquals(2, drained.sessions.get(SessionKey.UNTAGGED).streams);
    }

    @Test
    void aFoldThatKeepsOnlyStreamCountsCountsAndJudgesEveryLineAlike() throws IOException {
        byte[] log = awkwardLog();
        LogTally full = AccessLogFold.fold(LogFixtures.DEFAULT, true, "a.log", new java.io.ByteArrayInputStream(log));
        FoldWorkspace workspace = new FoldWorkspace(true);
        LogTally lean = AccessLogFold.fold(LogFixtures.DEFAULT, new AccessLogFold.Wants(true, false, false), "a.log",
                new java.io.ByteArrayInputStream(log), workspace);
        workspace.drainInto(lean);
        assertEquals(full.lines, lean.lines);
        assertEquals(full.malformed, lean.malformed);
        assertEquals(full.samples, lean.samples);
        assertEquals(full.streamsPerMinute.keySet(), lean.streamsPerMinute.keySet());
        assertEquals(full.sessions.keySet(), lean.sessions.keySet());
        assertEquals(full.protocols, lean.protocols, "the protocols' totals");
        full.sessions.forEach((key, session) -> {
            SessionTally other = lean.sessions.get(key);
            assertEquals(session.streams, other.streams, key.toString());
            if (key.untagged()) {
                // Untagged lines are one tally either way, with its bytes and statuses.
                assertEquals(session.bytes, other.bytes);
                assertEquals(session.zeroStatus, other.zeroStatus);
                assertTrue(Arrays.equals(session.statusClasses, other.statusClasses));
                assertTrue(!other.hasTime() && other.client == null, other.toString());
            } else {
                assertTrue(other.bytes == 0 && !other.hasTime() && other.client == null
                        && Arrays.stream(other.statusClasses).sum() == 0, key + ": " + other);
            }
        });
        assertEquals(summaryJson(full), summaryJson(lean));
    }

    @Test
    void aProtocolsTotalsAreItsSessionsAddedUp() throws IOException {
        LogTally full = AccessLogFold.fold(LogFixtures.DEFAULT, true, "a.log", new java.io.ByteArrayInputStream(awkwardLog()));
        assertTrue(full.protocols.size() >= 2, full.protocols.toString());
        full.protocols.forEach((protocol, lines) -> {
            SessionTally sum = new SessionTally();
            full.sessions.forEach((key, session) -> {
                if (!key.untagged() && key.protocol().equals(protocol)) {
                    sum.merge(session);
                }
            });
            assertEquals(sum.streams, lines.streams, protocol);
            assertEquals(sum.bytes, lines.bytes, protocol);
            assertEquals(sum.zeroStatus, lines.zeroStatus, protocol);
            assertTrue(Arrays.equals(sum.statusClasses, lines.statusClasses), protocol);
        });
    }

    @Test
    void aWorkspaceServesOnlyFoldsThatKeepWhatItKeeps() {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(new byte[0]);
        assertThrows(IllegalArgumentException.class, () -> AccessLogFold.fold(LogFixtures.DEFAULT,
                AccessLogFold.Wants.all(false), "a.log", in, new FoldWorkspace(true)));
        assertThrows(IllegalArgumentException.class, () -> AccessLogFold.fold(LogFixtures.DEFAULT,
                new AccessLogFold.Wants(false, false, false), "a.log", in, new FoldWorkspace(false)));
    }

    private static String summaryJson(LogTally tally) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (java.io.PrintWriter out = new java.io.PrintWriter(text)) {
            SummaryCommand.write(ProtocolSummary.of(tally), ReportOutput.Format.json, out);
        }
        return text.toString();
    }

    @Test
    void anEmptyFileHasNoLinesWholeOrChunked() throws IOException {
        Path file = Files.write(dir.resolve("empty.log"), new byte[0]);
        assertEquals(0, whole(file).lineCount());
        assertEquals(new LogTally(), chunked(file, 1, 2));
        LogFixtures.Run run = LogFixtures.run("summary", "--output", "csv", file.toString());
        assertEquals(0, run.status(), run.err());
        assertEquals("", run.err());
    }
}
