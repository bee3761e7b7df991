package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.AccessLogConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The access log as the proxy sees it: {@link #log} hands a finished transaction to a bounded
 * queue and returns at once, and one thread of its own ({@value #THREAD_NAME}) formats the lines
 * and writes them to the file. The writer flushes whenever it has emptied the queue, so under
 * light load a line reaches the file at once and under heavy load lines go out in large batches.
 *
 * <p>When the queue is full the line is dropped, never waited for; the writer notes how many in
 * the file ({@code # muxgate: N access log lines dropped (queue full)}) when it catches up.
 * Failing writes (full disk, unwritable path) are counted and reported on stderr, and the writer
 * keeps trying; see {@link LiveLogFile}.
 *
 * <p>The thread is not a daemon: lines accepted before {@link #close} reach the file even when
 * close is called during shutdown.
 */
public final class AsyncAccessLogWriter implements AccessLog {

    public static final String THREAD_NAME = "muxgate-access-log";

    /** Records taken from the queue at once: bounds how long the writer holds the queue lock. */
    private static final int BATCH = 256;

    /** How often an idle writer looks whether the file is due for rotation by time. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final AccessLogFormat format;
    private final RecordQueue queue;
    private final LiveLogFile file;
    private final WriteErrorReport errors;
    private final boolean rotatesByTime;
    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedClosed = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final AtomicBoolean reopenRequested = new AtomicBoolean();
    private final Thread thread;

    public AsyncAccessLogWriter(AccessLogConfig config) {
        this(config, Clock.systemUTC());
    }

    /** With the clock that rotation by time and error reports go by (tests pass a fake one). */
    public AsyncAccessLogWriter(AccessLogConfig config, Clock clock) {
        this(config, clock, System.err);
    }

    AsyncAccessLogWriter(AccessLogConfig config, Clock clock, PrintStream err) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(err, "err");
        this.format = AccessLogFormat.parse(config.format());
        this.queue = new RecordQueue(config.queueLines());
        this.errors = new WriteErrorReport(config.path(), clock, err);
        LogRotation rotation = new LogRotation(
                config.path(), config.rotateBytes(), config.rotateInterval(), config.keepFiles());
        this.rotatesByTime = rotation.byTime();
        this.file = new LiveLogFile(config.path(), rotation, clock, errors);
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(false);
        thread.start();
    }

    /** Never blocks: a record that does not fit in the queue, or comes after close, is dropped. */
    @Override
    public void log(TransactionRecord record) {
        Objects.requireNonNull(record, "record");
        switch (queue.offer(record)) {
            case ACCEPTED -> { }
            case FULL -> droppedQueueFull.increment();
            case CLOSED -> droppedClosed.increment();
        }
    }

    /**
     * Asks the writer thread to close the file and open the same path again, after an external
     * tool (logrotate) has moved it away. Returns at once.
     */
    public void reopen() {
        reopenRequested.set(true);
        queue.wake();
    }

    /**
     * Writes every line accepted so far, closes the file and ends the writer thread; waits for
     * that, so call it off the event loops. Later calls do nothing; later lines are dropped.
     */
    @Override
    public void close() {
        queue.close();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                // Finish waiting: returning early would let the caller exit before the lines are out.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lines dropped because the queue was full or the log was closed. */
    public long droppedLines() {
        return droppedQueueFull.sum() + droppedClosed.sum();
    }

    /**
     * Write failures: each line that could not be written and each failed open, flush, rename or
     * delete counts once (a line lost to a failed open counts only once).
     */
    public long writeErrors() {
        return errors.errors();
    }

    /** Lines handed to the file, drop notes included; the last may still sit in its buffer. */
    public long writtenLines() {
        return written.sum();
    }

    private void run() {
        try {
            writeUntilClosed();
        } finally {
            file.close();
        }
    }

    private void writeUntilClosed() {
        LineWriter lines = new LineWriter();
        TransactionRecord[] batch = new TransactionRecord[BATCH];
        long noted = 0;
        file.open();
        while (true) {
            int n = queue.drainTo(batch, 0);
            if (n == 0) {
                // Caught up: tell about lost lines, then push everything out before waiting.
                noted = noteDrops(lines, noted);
                file.flush();
                n = queue.drainTo(batch, rotatesByTime ? IDLE_CHECK_NANOS : Long.MAX_VALUE);
            }
            if (n < 0) {
                break;
            }
            if (reopenRequested.getAndSet(false)) {
                file.reopen();
            }
            for (int i = 0; i < n; i++) {
                lines.write(batch[i]);
                batch[i] = null;
            }
            if (n == 0) {
                file.idle();
            }
        }
        noteDrops(lines, noted);
    }

    private long noteDrops(LineWriter lines, long noted) {
        long dropped = droppedQueueFull.sum();
        if (dropped > noted) {
            lines.writeNote(dropped - noted);
        }
        return dropped;
    }

    /** Formats lines into one reused buffer and hands them to the file. Writer thread only. */
    private final class LineWriter {
        private final StringBuilder line = new StringBuilder(512);
        private char[] chars = new char[512];

        void write(TransactionRecord record) {
            line.setLength(0);
            try {
                format.formatTo(line, record);
                emit();
            } catch (RuntimeException e) {
                // A bug must cost one line, not the writer thread and every line after it.
                errors.failed("format a line", e);
            }
        }

        void writeNote(long dropped) {
            line.setLength(0);
            line.append("# muxgate: ").append(dropped).append(" access log lines dropped (queue full)");
            emit();
        }

        private void emit() {
            line.append('\n');
            int length = line.length();
            if (chars.length < length) {
                chars = new char[Math.max(length, chars.length * 2)];
            }
            line.getChars(0, length, chars, 0);
            if (file.write(chars, length)) {
                written.increment();
            }
        }
    }
}
