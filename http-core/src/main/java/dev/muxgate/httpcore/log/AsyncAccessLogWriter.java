package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.AccessLogConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Objects;

/**
 * The access log as the proxy sees it: {@link #log} hands a finished transaction to a bounded
 * queue and returns at once, and one thread of its own ({@value #THREAD_NAME}) formats the lines
 * with the configured {@link AccessLogFormat} and writes them to the file. An
 * {@link AsyncLineWriter} does the work, so the guarantees are its own: the writer flushes whenever
 * it has emptied the queue, so under light load a line reaches the file at once and under heavy
 * load lines go out in large batches.
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

    /** What the log is called in error reports and drop notes. */
    static final String LOG_NAME = "access log";

    private final AsyncLineWriter<Entry> lines;
    private final LineFormatter<TransactionRecord> format;
    /** Null without syslog delivery. */
    private final SyslogSender syslog;

    /** A record and the formatter it was logged with: a reload changes the format of new lines only. */
    private record Entry(LineFormatter<TransactionRecord> format, TransactionRecord record) {
    }

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
        this.format = AccessLogs.formatter(config);
        this.syslog = config.syslog().enabled() ? new SyslogSender(config.syslog(), "access", clock) : null;
        AsyncLineWriter.Builder<Entry> builder = AsyncLineWriter.<Entry>builder(config.file(),
                (line, e) -> e.format().formatTo(line, e.record()));
        if (syslog != null) {
            builder.copyTo(syslog::offer);
        }
        this.lines = builder
                .name(LOG_NAME)
                .threadName(THREAD_NAME)
                .clock(clock)
                .errorStream(err)
                .start();
    }

    /** Never blocks: a record that does not fit in the queue, or comes after close, is dropped. */
    @Override
    public void log(TransactionRecord record) {
        lines.log(new Entry(format, record));
    }

    /**
     * The same file and thread, spelling each line with {@code otherFormat}: what a configuration
     * reload that changes only the format gets. Lines logged through either keep their own format,
     * in the order they were logged; closing the view does nothing (the writer's owner closes it).
     */
    public AccessLog withFormat(LineFormatter<TransactionRecord> otherFormat) {
        java.util.Objects.requireNonNull(otherFormat, "otherFormat");
        return new AccessLog() {
            @Override
            public void log(TransactionRecord record) {
                lines.log(new Entry(otherFormat, record));
            }

            @Override
            public void close() {
            }
        };
    }

    /**
     * Asks the writer thread to close the file and open the same path again, after an external
     * tool (logrotate) has moved it away. Returns at once.
     */
    public void reopen() {
        lines.reopen();
    }

    /**
     * Writes every line accepted so far, closes the file and ends the writer thread; waits for
     * that, so call it off the event loops. Later calls do nothing; later lines are dropped.
     */
    @Override
    public void close() {
        lines.close();
        if (syslog != null) {
            syslog.close();
        }
    }

    /** The syslog delivery, or null when there is none. */
    public SyslogSender syslog() {
        return syslog;
    }

    /** Lines dropped because the queue was full or the log was closed. */
    @Override
    public long droppedLines() {
        return lines.droppedLines();
    }

    /**
     * Write failures: each line that could not be written and each failed open, flush, rename or
     * delete counts once (a line lost to a failed open counts only once).
     */
    @Override
    public long writeErrors() {
        return lines.writeErrors();
    }

    /** Lines handed to the file, drop notes included; the last may still sit in its buffer. */
    public long writtenLines() {
        return lines.writtenLines();
    }
}
