package dev.muxgate.httpcore.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where an {@link AsyncLineWriter} writes and how it rotates: the settings every log file of the
 * gateway shares (the access log's and the session log's configuration each come down to one).
 * The messages name the configuration keys, so a reader can point at the offending line.
 *
 * @param path           the live file; rotated files sit beside it
 * @param rotateBytes    rotate when the live file would grow past this size (0: never by size)
 * @param rotateInterval rotate when the live file is older than this (zero: never by time)
 * @param keepFiles      rotated files kept; older ones are deleted (0: keep all)
 * @param queueLines     lines buffered between the callers and the writer thread
 */
public record LineLogConfig(Path path, long rotateBytes, Duration rotateInterval, int keepFiles, int queueLines) {

    public LineLogConfig {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rotateInterval, "rotateInterval");
        if (path.toString().isEmpty()) {
            throw new IllegalArgumentException("path must not be empty");
        }
        if (rotateBytes < 0) {
            throw new IllegalArgumentException("rotate-size must not be negative");
        }
        if (rotateInterval.isNegative()) {
            throw new IllegalArgumentException("rotate-interval must not be negative");
        }
        if (keepFiles < 0) {
            throw new IllegalArgumentException("keep must not be negative");
        }
        if (queueLines <= 0) {
            throw new IllegalArgumentException("queue-lines must be positive");
        }
    }
}
