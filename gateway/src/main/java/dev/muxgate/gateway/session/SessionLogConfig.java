package dev.muxgate.gateway.session;

import dev.muxgate.httpcore.config.LineLogConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.config.SyslogConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the session log is written ({@code logs.session} of the configuration file). The
 * defaults are the access log's, but for the file name.
 *
 * @param enabled        false writes no session log at all
 * @param path           the live file; rotated files sit beside it
 * @param rotateBytes    rotate when the live file would grow past this size (0: never by size)
 * @param rotateInterval rotate when the live file is older than this (zero: never by time)
 * @param keepFiles      rotated files kept; older ones are deleted (0: keep all)
 * @param queueLines     lines buffered between the event loops and the writer thread
 * @param syntax         text lines ({@link SessionLogFormat}) or JSON Lines ({@link JsonSessionLineFormat})
 * @param syslog         delivery of the lines to a syslog server too
 */
public record SessionLogConfig(
        boolean enabled,
        Path path,
        long rotateBytes,
        Duration rotateInterval,
        int keepFiles,
        int queueLines,
        LogSyntax syntax,
        SyslogConfig syslog) {

    public static final Path DEFAULT_PATH = Path.of("var/log/session.log");

    /** @throws IllegalArgumentException starting with the name of the offending key */
    public SessionLogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rotateInterval, "rotateInterval");
        Objects.requireNonNull(syntax, "syntax");
        Objects.requireNonNull(syslog, "syslog");
        // The rules are the writer's; checked here too so a bad file fails at start-up, not at open.
        new LineLogConfig(path, rotateBytes, rotateInterval, keepFiles, queueLines);
        if (path.getFileName() == null) {
            throw new IllegalArgumentException("path must name a file, got " + path);
        }
    }

    /** Text lines, as before the {@code syntax} key existed. */
    public SessionLogConfig(boolean enabled, Path path, long rotateBytes, Duration rotateInterval, int keepFiles,
                            int queueLines) {
        this(enabled, path, rotateBytes, rotateInterval, keepFiles, queueLines, LogSyntax.TEXT);
    }

    /** No syslog delivery. */
    public SessionLogConfig(boolean enabled, Path path, long rotateBytes, Duration rotateInterval, int keepFiles,
                            int queueLines, LogSyntax syntax) {
        this(enabled, path, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, SyslogConfig.defaults());
    }

    public SessionLogConfig withSyntax(LogSyntax newSyntax) {
        return new SessionLogConfig(enabled, path, rotateBytes, rotateInterval, keepFiles, queueLines, newSyntax, syslog);
    }

    public static SessionLogConfig defaults() {
        return new SessionLogConfig(true, DEFAULT_PATH, 100L * 1024 * 1024, Duration.ofDays(1), 10, 65536);
    }

    /** The writer's settings. */
    public LineLogConfig file() {
        return new LineLogConfig(path, rotateBytes, rotateInterval, keepFiles, queueLines);
    }
}
