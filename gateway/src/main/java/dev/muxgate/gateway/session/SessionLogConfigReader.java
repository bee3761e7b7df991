package dev.muxgate.gateway.session;

import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.ConfigSection;
import dev.muxgate.httpcore.config.CoreConfigReader;
import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.config.SyslogConfig;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * Reads {@code logs.session} of the configuration file into a {@link SessionLogConfig}: the same
 * keys as {@code logs.access} but {@code format}, which the session log does not have. The core's
 * reader leaves this section alone; the gateway reads it here. Absent keys take
 * {@link SessionLogConfig#defaults()}; unknown keys and bad values stop start-up with a
 * {@link ConfigException} naming file, line and key.
 */
public final class SessionLogConfigReader {

    /** The key under {@code logs} this reader owns. */
    public static final String SECTION = "session";

    static final Set<String> KEYS = Set.of("enabled", "path", "rotate-size", "rotate-interval", "keep", "queue-lines", "syntax", "syslog");

    private SessionLogConfigReader() {
    }

    /**
     * Reads the {@code logs.session} section (an empty one gives the defaults), e.g.
     * {@code read(root.optionalSection("logs").optionalSection(SessionLogConfigReader.SECTION))}.
     */
    public static SessionLogConfig read(ConfigSection session) {
        session.rejectUnknownKeys(KEYS);
        SessionLogConfig d = SessionLogConfig.defaults();
        boolean enabled = session.bool("enabled", d.enabled());
        Path path = path(session, "path", d.path());
        long rotateBytes = session.size("rotate-size", d.rotateBytes());
        Duration rotateInterval = session.duration("rotate-interval", d.rotateInterval());
        int keepFiles = session.integer("keep", d.keepFiles());
        int queueLines = session.integer("queue-lines", d.queueLines());
        LogSyntax syntax = CoreConfigReader.syntax(session);
        SyslogConfig syslog = CoreConfigReader.syslog(session.optionalSection("syslog"));
        try {
            return new SessionLogConfig(enabled, path, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, syslog);
        } catch (IllegalArgumentException e) {
            // The record's messages start with the key they are about, so the error points at its line.
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            String key = space < 0 ? message : message.substring(0, space);
            throw KEYS.contains(key) ? session.error(key, message) : session.error(message);
        }
    }

    /** A path as written; a relative one stays relative and is resolved by whoever opens it. */
    private static Path path(ConfigSection section, String key, Path defaultValue) {
        String text = section.string(key, null);
        if (text == null) {
            return defaultValue;
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw section.error(key, "not a file path: " + e.getReason());
        }
    }
}
