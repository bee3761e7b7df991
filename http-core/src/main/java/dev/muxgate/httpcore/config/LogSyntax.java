package dev.muxgate.httpcore.config;

import java.util.Locale;
import java.util.Optional;

/**
 * How a log spells each record: a text line ({@code text}, the format language or the session
 * log's fixed columns) or one JSON object per line ({@code json}, JSON Lines), for log pipelines
 * that want named fields rather than positions. The key is {@code syntax} under {@code logs.access}
 * and {@code logs.session}.
 */
public enum LogSyntax {
    TEXT, JSON;

    /** The word written in the configuration file. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<LogSyntax> fromWord(String word) {
        for (LogSyntax s : values()) {
            if (s.word().equals(word)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
