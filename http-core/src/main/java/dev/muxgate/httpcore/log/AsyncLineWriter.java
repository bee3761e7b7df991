package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.LineLogConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A log of one line per record, written off the event loops: {@link #log} hands the record to a
 * bounded queue and returns at once, and one thread of its own (named by the caller) formats the
 * lines with a {@link LineFormatter} and writes them to the file. The writer flushes whenever it
 * has emptied the queue, so under light load a line reaches the file at once and under heavy load
 * lines go out in large batches. The access log ({@link AsyncAccessLogWriter}) and the gateway's
 * session log are two of these.
 *
 * <p>When the queue is full the record is dropped, never waited for; the writer notes how many in
 * the file ({@code # muxgate: N <name> lines dropped (queue full)}) when it catches up. Failing
 * writes (full disk, unwritable path) are counted and reported on stderr, and the writer keeps
 * trying; see {@link LiveLogFile}. The file rotates by size and time as {@link LineLogConfig} says.
 * A formatter that throws, or that produces a line break, costs that one line (counted as a write
 * error), never the writer thread.
 *
 * <p>The thread is not a daemon: lines accepted before {@link #close} reach the file even when
 * close is called during shutdown.
 *
 * @param <T> the records of the log; a record belongs to the writer once logged
 */
public final class AsyncLineWriter<T> implements AutoCloseable {

    /** Records taken from the queue at once: bounds how long the writer holds the queue lock. */
    private static final int BATCH = 256;

    /** How often an idle writer looks whether the file is due for rotation by time. */
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final LineFormatter<T> formatter;
    private final RecordQueue<T> queue;
    private final LiveLogFile file;
    private final WriteErrorReport errors;
    private final boolean rotatesByTime;
    private final LongAdder droppedQueueFull = new LongAdder();
    private final LongAdder droppedClosed = new LongAdder();
    private final LongAdder written = new LongAdder();
    private final AtomicBoolean reopenRequested = new AtomicBoolean();
    /** Also gets every line written (syslog delivery), or null. Never blocks. */
    private final java.util.function.Consumer<String> copy;
    private final Thread thread;

    private AsyncLineWriter(Builder<T> b) {
        this.name = b.name;
        this.formatter = b.formatter;
        this.copy = b.copy;
        this.queue = new RecordQueue<>(b.config.queueLines());
        this.errors = new WriteErrorReport(b.name, b.config.path(), b.clock, b.err);
        LogRotation rotation = new LogRotation(b.name, b.config.path(), b.config.rotateBytes(),
                b.config.rotateInterval(), b.config.keepFiles());
        this.rotatesByTime = rotation.byTime();
        this.file = new LiveLogFile(b.config.path(), rotation, b.clock, errors);
        this.thread = new Thread(this::run, b.threadName);
        thread.setDaemon(false);
        thread.start();
    }

    /**
     * Starts describing a writer for {@code config} whose lines {@code formatter} spells; its
     * {@linkplain Builder#name name} and {@linkplain Builder#threadName thread name} are required.
     */
    public static <T> Builder<T> builder(LineLogConfig config, LineFormatter<T> formatter) {
        return new Builder<>(config, formatter);
    }

    /** Never blocks: a record that does not fit in the queue, or comes after close, is dropped. */
    public void log(T record) {
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
     * Write failures: each line that could not be formatted or written and each failed open,
     * flush, rename or delete counts once (a line lost to a failed open counts only once).
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
        LineBuffer lines = new LineBuffer();
        @SuppressWarnings("unchecked") // erased: the queue only ever stores Ts into it
        T[] batch = (T[]) new Object[BATCH];
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

    private long noteDrops(LineBuffer lines, long noted) {
        long dropped = droppedQueueFull.sum();
        if (dropped > noted) {
            lines.writeNote(dropped - noted);
        }
        return dropped;
    }

    /** Formats lines into one reused buffer and hands them to the file. Writer thread only. */
    private final class LineBuffer {
        private final StringBuilder line = new StringBuilder(512);
        private char[] chars = new char[512];

        void write(T record) {
            line.setLength(0);
            try {
                formatter.formatTo(line, record);
                if (holdsLineBreak()) {
                    throw new IllegalStateException("the formatted line holds a line break");
                }
                emit();
            } catch (RuntimeException e) {
                // A bug must cost one line, not the writer thread and every line after it.
                errors.failed("format a line", e);
            }
        }

        void writeNote(long dropped) {
            line.setLength(0);
            line.append("# muxgate: ").append(dropped).append(' ').append(name).append(" lines dropped (queue full)");
            emit();
        }

        /** One record, one line: a formatter that forgot to escape must not forge a second one. */
        private boolean holdsLineBreak() {
            for (int i = line.length() - 1; i >= 0; i--) {
                char c = line.charAt(i);
                if (c == '\n' || c == '\r') {
                    return true;
                }
            }
            return false;
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
            if (copy != null) {
                copy.accept(line.substring(0, length - 1));
            }
        }
    }

    /**
     * What a writer needs before its thread starts. {@link #start} validates the whole and starts
     * the thread; the builder may then be thrown away.
     */
    public static final class Builder<T> {
        private final LineLogConfig config;
        private final LineFormatter<T> formatter;
        private String name;
        private String threadName;
        private Clock clock = Clock.systemUTC();
        private PrintStream err = System.err;
        private java.util.function.Consumer<String> copy;

        private Builder(LineLogConfig config, LineFormatter<T> formatter) {
            this.config = Objects.requireNonNull(config, "config");
            this.formatter = Objects.requireNonNull(formatter, "formatter");
        }

        /**
         * What the log is called in its error reports and drop notes, e.g. {@code session log}
         * (gives {@code # muxgate: 3 session log lines dropped (queue full)}). Required.
         */
        public Builder<T> name(String logName) {
            this.name = Objects.requireNonNull(logName, "logName");
            return this;
        }

        /** The writer thread's name, e.g. {@code muxgate-session-log}. Required. */
        public Builder<T> threadName(String writerThreadName) {
            this.threadName = Objects.requireNonNull(writerThreadName, "writerThreadName");
            return this;
        }

        /** The clock that rotation by time and error reports go by; the system UTC clock if not set. */
        public Builder<T> clock(Clock newClock) {
            this.clock = Objects.requireNonNull(newClock, "clock");
            return this;
        }

        /**
         * Also hands every line (without its line break, drop notes included) to {@code sink} on the
         * writer thread, after the file has it; the sink must not block (a {@link SyslogSender}).
         */
        public Builder<T> copyTo(java.util.function.Consumer<String> sink) {
            this.copy = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Where write errors are reported; stderr if not set. Tests capture it. */
        Builder<T> errorStream(PrintStream newErr) {
            this.err = Objects.requireNonNull(newErr, "err");
            return this;
        }

        /**
         * Starts the writer thread, which opens the file at once so problems show before the first
         * line.
         *
         * @throws IllegalStateException    if the name or the thread name is missing or blank
         * @throws IllegalArgumentException if the path names no file
         */
        public AsyncLineWriter<T> start() {
            if (name == null || name.isBlank()) {
                throw new IllegalStateException("a line writer needs a name (such as \"session log\")");
            }
            if (threadName == null || threadName.isBlank()) {
                throw new IllegalStateException("the " + name + " writer needs a thread name");
            }
            return new AsyncLineWriter<>(this);
        }
    }
}
