package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

class SessionLogTest {

    @TempDir
    Path dir;

    private static SessionLogConfig config(Path path, long rotateBytes, int keep, int queue) {
        return new SessionLogConfig(true, path, rotateBytes, Duration.ZERO, keep, queue);
    }

    private static SessionRecord session(long number) {
        return new SessionRecord(1732550000123L, number, "h2", "203.0.113.7", 50123, "localhost", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", 5321, 100, 12345, 678901, "closed", false);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
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

    @Test
    void writesOneLinePerEndedSessionPromptly() throws Exception {
        Path file = dir.resolve("log/session.log");
        try (SessionLog log = SessionLog.open(config(file, 0, 0, 16))) {
            log.log(session(17));
            await(() -> {
                try {
                    return Files.exists(file) && Files.readString(file).endsWith("\n");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }, "the line is flushed");
            assertEquals(List.of("1732550000.123 17 h2 203.0.113.7 50123 localhost TLSv1.3 TLS_AES_128_GCM_SHA256"
                    + " 5321 100 12345 678901 closed 0 0"), lines(file));
        }
    }

    @Test
    void logsTheFactsOfASessionContextAndMarksItEnded() throws Exception {
        Path file = dir.resolve("session.log");
        SessionContext context = new SessionContext(42);
        context.clientAddress(new java.net.InetSocketAddress("198.51.100.9", 40000));
        context.received(517);
        context.sent(1400);
        long before = System.currentTimeMillis();
        SessionLog log = SessionLog.open(config(file, 0, 0, 16));
        log.log(context);
        log.close();
        long after = System.currentTimeMillis();

        assertTrue(context.hasEnded());
        String[] t = lines(file).get(0).split(" ");
        assertEquals(SessionLogFormat.FIELDS.size(), t.length);
        long time = Math.round(Double.parseDouble(t[0]) * 1000);
        assertTrue(time >= before - 1 && time <= after + 1, t[0]);
        assertEquals(List.of("42", "-", "198.51.100.9", "40000", "-", "-", "-"), List.of(t).subList(1, 8));
        assertEquals(List.of("0", "517", "1400", "-"), List.of(t).subList(9, 13));
    }

    @Test
    void runsOneNamedNonDaemonThreadUntilClosed() throws Exception {
        SessionLog log = SessionLog.open(config(dir.resolve("session.log"), 0, 0, 16));
        Thread writer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("muxgate-session-log")).findFirst().orElseThrow();
        assertFalse(writer.isDaemon());
        log.close();
        writer.join(10_000);
        assertFalse(writer.isAlive());
    }

    @Test
    void concurrentLoggingThenCloseLosesNothing() throws Exception {
        Path file = dir.resolve("session.log");
        int threads = 8;
        int perThread = 20_000;
        SessionLog log = SessionLog.open(config(file, 0, 0, threads * perThread));
        List<Thread> loops = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            long base = (long) t * perThread + 1;
            // Each thread plays an event loop ending its own sessions.
            Thread loop = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    SessionContext session = new SessionContext(base + i);
                    session.received(i);
                    log.log(session);
                }
            });
            loop.start();
            loops.add(loop);
        }
        go.countDown();
        for (Thread loop : loops) {
            loop.join();
        }
        log.close();

        List<String> lines = lines(file);
        assertEquals(0, log.droppedLines());
        assertEquals(0, log.writeErrors());
        assertEquals(threads * perThread, lines.size());
        assertEquals(threads * perThread, log.writtenLines());
        Set<String> numbers = new HashSet<>();
        for (String line : lines) {
            assertEquals(SessionLogFormat.FIELDS.size(), line.split(" ").length, line);
            numbers.add(line.split(" ")[1]);
        }
        assertEquals(threads * perThread, numbers.size());
    }

    @Test
    void closeRacingWithLoggersWritesEveryAcceptedLine() throws Exception {
        Path file = dir.resolve("session.log");
        SessionLog log = SessionLog.open(config(file, 0, 0, 512));
        AtomicLong attempted = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> loggers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread logger = new Thread(() -> {
                while (!stop.get()) {
                    log.log(session(attempted.incrementAndGet()));
                }
            });
            logger.start();
            loggers.add(logger);
        }
        await(() -> log.writtenLines() > 5_000, "the loggers are well under way");
        log.close();
        stop.set(true);
        for (Thread logger : loggers) {
            logger.join();
        }
        List<String> sessions = lines(file).stream().filter(l -> !l.startsWith("#")).collect(Collectors.toList());
        assertEquals(attempted.get() - log.droppedLines(), sessions.size());
        lines(file).stream().filter(l -> l.startsWith("#")).forEach(note ->
                assertTrue(note.matches("# muxgate: \\d+ session log lines dropped \\(queue full\\)"), note));
    }

    @Test
    void rotatesBesideItselfAndKeepsTheNewestFiles() throws Exception {
        Path file = dir.resolve("session.log");
        int lineBytes = SessionLogFormat.format(session(10)).length() + 1;
        SessionLog log = SessionLog.open(config(file, 2L * lineBytes, 2, 100));
        for (int i = 10; i < 20; i++) {
            log.log(session(i));
        }
        log.close();
        assertEquals(List.of("18", "19"), lines(file).stream().map(l -> l.split(" ")[1]).collect(Collectors.toList()));
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> rotated = files.filter(p -> !p.equals(file)).collect(Collectors.toList());
            assertEquals(2, rotated.size(), rotated::toString);
            rotated.forEach(p -> assertTrue(p.getFileName().toString().matches("session\\.log\\.\\d{8}-\\d{6}(\\.\\d+)?"),
                    p::toString));
        }
    }

    @Test
    void aHostileSniCannotBreakTheFileIntoMoreLines() throws Exception {
        Path file = dir.resolve("session.log");
        SessionLog log = SessionLog.open(config(file, 0, 0, 16));
        SessionRecord s = session(1);
        String sni = "a b\n# muxgate: 9 forged\r\nx";
        log.log(new SessionRecord(s.endEpochMillis(), 1, s.protocol(), s.clientIp(), s.clientPort(), sni,
                s.tlsVersion(), s.tlsCipher(), s.durationMillis(), s.streams(), s.bytesIn(), s.bytesOut(),
                s.closeReason(), s.resumed()));
        log.close();
        List<String> lines = lines(file);
        assertEquals(1, lines.size(), lines::toString);
        assertEquals(sni, AccessLogFormat.unescape(lines.get(0).split(" ")[5]));
    }

    @Test
    void aDisabledLogWritesNothingAndStartsNoThread() {
        Path file = dir.resolve("session.log");
        SessionLog log = SessionLog.open(new SessionLogConfig(false, file, 0, Duration.ZERO, 0, 10));
        assertFalse(log.enabled());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().equals(SessionLog.THREAD_NAME)));
        log.log(new SessionContext(1));
        log.log(session(2));
        log.reopen();
        log.close();
        assertFalse(Files.exists(file));
        assertEquals(0, log.writtenLines());
    }
}
