package dev.muxgate.httpcore.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and how the access log is written.
 *
 * @param enabled        false writes no access log at all
 * @param path           the live file; rotated files sit beside it
 * @param format         the format string, ATS-style fields such as {@code %<chi>}
 * @param rotateBytes    rotate when the live file would grow past this size (0: never by size)
 * @param rotateInterval rotate when the live file is older than this (zero: never by time)
 * @param keepFiles      rotated files kept; older ones are deleted (0: keep all)
 * @param queueLines     lines buffered between the event loops and the writer thread
 * @param syntax         text lines in {@code format}, or JSON Lines with the fields {@code format} names
 * @param syslog         delivery of the lines to a syslog server too
 */
public record AccessLogConfig(
        boolean enabled,
        Path path,
        String format,
        long rotateBytes,
        Duration rotateInterval,
        int keepFiles,
        int queueLines,
        LogSyntax syntax,
        SyslogConfig syslog) {

    public static final String DEFAULT_FORMAT =
            "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn>";

    public AccessLogConfig {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(syntax, "syntax");
        Objects.requireNonNull(syslog, "syslog");
        // The file rules are the writer's, in one place; checked here so a bad file fails at start-up.
        new LineLogConfig(path, rotateBytes, rotateInterval, keepFiles, queueLines);
    }

    /** Text lines, as before the {@code syntax} key existed. */
    public AccessLogConfig(boolean enabled, Path path, String format, long rotateBytes, Duration rotateInterval,
                           int keepFiles, int queueLines) {
        this(enabled, path, format, rotateBytes, rotateInterval, keepFiles, queueLines, LogSyntax.TEXT);
    }

    /** No syslog delivery. */
    public AccessLogConfig(boolean enabled, Path path, String format, long rotateBytes, Duration rotateInterval,
                           int keepFiles, int queueLines, LogSyntax syntax) {
        this(enabled, path, format, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, SyslogConfig.defaults());
    }

    public AccessLogConfig withSyslog(SyslogConfig newSyslog) {
        return new AccessLogConfig(enabled, path, format, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, newSyslog);
    }

    public AccessLogConfig withSyntax(LogSyntax newSyntax) {
        return new AccessLogConfig(enabled, path, format, rotateBytes, rotateInterval, keepFiles, queueLines, newSyntax, syslog);
    }

    public AccessLogConfig withFormat(String newFormat) {
        return new AccessLogConfig(enabled, path, newFormat, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, syslog);
    }

    /** The writer's settings. */
    public LineLogConfig file() {
        return new LineLogConfig(path, rotateBytes, rotateInterval, keepFiles, queueLines);
    }

    public static AccessLogConfig defaults() {
        return new AccessLogConfig(
                true,
                Path.of("var/log/access.log"),
                DEFAULT_FORMAT,
                100L * 1024 * 1024,
                Duration.ofDays(1),
                10,
                65536);
    }
}
