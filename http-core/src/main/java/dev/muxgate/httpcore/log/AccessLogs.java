package dev.muxgate.httpcore.log;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import java.util.Objects;

/** Opens the access log a configuration asks for: a file writer, or nothing when disabled. */
public final class AccessLogs {

    private AccessLogs() {
    }

    /**
     * The access log for {@code config}: an {@link AsyncAccessLogWriter} with its thread started,
     * or, when the log is disabled, one that discards every record and starts no thread.
     *
     * @throws IllegalArgumentException if the format is not valid (even when disabled, so a bad
     *                                  format is found before someone turns the log on)
     */
    public static AccessLog open(AccessLogConfig config) {
        Objects.requireNonNull(config, "config");
        if (!config.enabled()) {
            formatter(config);
            return new Disabled();
        }
        return new AsyncAccessLogWriter(config);
    }

    /**
     * How {@code config} spells a line: its format as text, or as JSON Lines with the fields the
     * format names ({@code syntax: json}).
     *
     * @throws IllegalArgumentException if the format is not valid
     */
    public static LineFormatter<TransactionRecord> formatter(AccessLogConfig config) {
        AccessLogFormat format = AccessLogFormat.parse(config.format());
        return config.syntax() == LogSyntax.JSON ? new JsonAccessLineFormat(format) : format::formatTo;
    }

    private static final class Disabled implements AccessLog {
        @Override
        public void log(TransactionRecord record) {
        }

        @Override
        public void close() {
        }
    }
}
