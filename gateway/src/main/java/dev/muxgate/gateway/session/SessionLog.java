package dev.muxgate.gateway.session;

import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.log.AsyncLineWriter;
import dev.muxgate.httpcore.log.LineFormatter;
import dev.muxgate.httpcore.log.SyslogSender;
import java.time.Clock;
import java.util.Objects;

/**
 * The session log: one line per client session when it ends, in the {@link SessionLogFormat},
 * written by an {@link AsyncLineWriter} on a thread of its own ({@value #THREAD_NAME}). Fed by
 * the front door's end-of-session callback: {@link #log} reads the session's facts on its event
 * loop into a {@link SessionRecord} and hands that over without blocking or doing I/O; a full
 * queue drops the line and notes the count in the file. {@link #close} writes every line accepted
 * before it, so call it once the event loops have ended their sessions.
 */
public final class SessionLog implements AutoCloseable {

    public static final String THREAD_NAME = "muxgate-session-log";

    /** What the log is called in error reports and drop notes. */
    static final String LOG_NAME = "session log";

    /** Null when the log is disabled. */
    private final AsyncLineWriter<Entry> writer;
    /** How new lines are spelled; a reload may change it, lines already logged keep theirs. */
    private volatile LineFormatter<SessionRecord> format;

    /** A session and the spelling it was logged with. */
    private record Entry(LineFormatter<SessionRecord> format, SessionRecord session) {
    }

    /** Null without syslog delivery. */
    private final SyslogSender syslog;

    private SessionLog(AsyncLineWriter<Entry> writer, LogSyntax syntax, SyslogSender syslog) {
        this.writer = writer;
        this.format = formatter(syntax);
        this.syslog = syslog;
    }

    private static LineFormatter<SessionRecord> formatter(LogSyntax syntax) {
        return syntax == LogSyntax.JSON ? JsonSessionLineFormat::formatTo : SessionLogFormat::formatTo;
    }

    /** Lines of sessions logged from now on are spelled in {@code syntax} (a reload). */
    public void syntax(LogSyntax syntax) {
        this.format = formatter(syntax);
    }

    /**
     * The session log {@code config} asks for, its thread started and its file open; or, when the
     * log is disabled, one that discards every session and starts no thread.
     *
     * @throws IllegalArgumentException if the path names no file
     */
    public static SessionLog open(SessionLogConfig config) {
        return open(config, Clock.systemUTC());
    }

    /** With the clock that rotation by time and error reports go by (tests pass a fake one). */
    public static SessionLog open(SessionLogConfig config, Clock clock) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        if (!config.enabled()) {
            return new SessionLog(null, config.syntax(), null);
        }
        SyslogSender syslog = config.syslog().enabled() ? new SyslogSender(config.syslog(), "session", clock) : null;
        AsyncLineWriter.Builder<Entry> builder = AsyncLineWriter.<Entry>builder(config.file(),
                (line, e) -> e.format().formatTo(line, e.session()));
        if (syslog != null) {
            builder.copyTo(syslog::offer);
        }
        return new SessionLog(builder
                .name(LOG_NAME)
                .threadName(THREAD_NAME)
                .clock(clock)
                .start(), config.syntax(), syslog);
    }

    public boolean enabled() {
        return writer != null;
    }

    /**
     * Logs a session that has ended (marking it ended now if nobody has). Call on the session's
     * event loop; never blocks.
     */
    public void log(SessionContext session) {
        Objects.requireNonNull(session, "session");
        if (writer != null) {
            writer.log(new Entry(format, SessionRecord.of(session)));
        }
    }

    /** Logs an ended session already read into a record; from any thread, never blocks. */
    public void log(SessionRecord session) {
        Objects.requireNonNull(session, "session");
        if (writer != null) {
            writer.log(new Entry(format, session));
        }
    }

    /** Closes and opens the file again after an external tool (logrotate) moved it. Returns at once. */
    public void reopen() {
        if (writer != null) {
            writer.reopen();
        }
    }

    /**
     * Writes every line accepted so far and closes the file; waits for that, so call it off the
     * event loops. Later calls do nothing; later sessions are dropped.
     */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
        if (syslog != null) {
            syslog.close();
        }
    }

    /** The syslog delivery, or null when there is none. */
    public SyslogSender syslog() {
        return syslog;
    }

    /** Lines dropped because the queue was full or the log was closed; 0 when disabled. */
    public long droppedLines() {
        return writer == null ? 0 : writer.droppedLines();
    }

    /** Lines that could not be written and failed file operations; 0 when disabled. */
    public long writeErrors() {
        return writer == null ? 0 : writer.writeErrors();
    }

    /** Lines handed to the file, drop notes included; 0 when disabled. */
    public long writtenLines() {
        return writer == null ? 0 : writer.writtenLines();
    }
}
