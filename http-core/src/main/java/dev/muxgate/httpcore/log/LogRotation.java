package dev.muxgate.httpcore.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a live log file is rotated and what becomes of it: renamed beside itself to
 * {@code <name>.YYYYMMDD-HHMMSS} (UTC, the moment of rotation; {@code .1}, {@code .2}, ... added
 * when rotating more than once in a second), after which only the newest {@code keepFiles}
 * rotated files are kept.
 */
final class LogRotation {

    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("uuuuMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path live;
    private final long rotateBytes;
    private final Duration rotateInterval;
    private final int keepFiles;
    private final Pattern rotatedName;

    /** {@code logName} names the log in the message when {@code live} names no file. */
    LogRotation(String logName, Path live, long rotateBytes, Duration rotateInterval, int keepFiles) {
        if (live.getFileName() == null) {
            throw new IllegalArgumentException(logName + " path " + live + " names no file");
        }
        this.live = live;
        this.rotateBytes = rotateBytes;
        this.rotateInterval = rotateInterval;
        this.keepFiles = keepFiles;
        this.rotatedName = Pattern.compile(
                Pattern.quote(live.getFileName().toString()) + "\\.(\\d{8}-\\d{6})(?:\\.(\\d{1,9}))?");
    }

    boolean byTime() {
        return !rotateInterval.isZero();
    }

    /** Whether writing {@code lineBytes} more would take a non-empty file past the size limit. */
    boolean sizeDue(long size, int lineBytes) {
        return rotateBytes > 0 && size > 0 && size + lineBytes > rotateBytes;
    }

    /** Whether a file opened at {@code openedAt} has been live for the whole interval. */
    boolean timeDue(Instant openedAt, Instant now) {
        return byTime() && Duration.between(openedAt, now).compareTo(rotateInterval) >= 0;
    }

    /**
     * Renames the live file (which must be closed) and deletes rotated files beyond the limit.
     *
     * @return the rotated file's new name
     * @throws IOException if the rename fails; a failure to delete old files is only reported
     *                     through {@code pruneFailures}
     */
    Path rotate(Instant now, List<IOException> pruneFailures) throws IOException {
        String base = live.getFileName() + "." + STAMP.format(now);
        Path target = live.resolveSibling(base);
        for (int suffix = 1; Files.exists(target); suffix++) {
            target = live.resolveSibling(base + "." + suffix);
        }
        Files.move(live, target);
        prune(pruneFailures);
        return target;
    }

    private void prune(List<IOException> failures) {
        if (keepFiles == 0) {
            return;
        }
        try {
            List<Path> rotated = rotatedFiles();
            for (int i = 0; i < rotated.size() - keepFiles; i++) {
                try {
                    Files.deleteIfExists(rotated.get(i));
                } catch (IOException e) {
                    failures.add(e);
                }
            }
        } catch (IOException e) {
            failures.add(e);
        }
    }

    /** The rotated files beside the live one, oldest first. */
    List<Path> rotatedFiles() throws IOException {
        record Rotated(Path path, String stamp, long suffix) {
        }
        List<Rotated> found = new ArrayList<>();
        Path dir = live.toAbsolutePath().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Matcher m = rotatedName.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isRegularFile(entry)) {
                    found.add(new Rotated(entry, m.group(1), m.group(2) == null ? 0 : Long.parseLong(m.group(2))));
                }
            }
        }
        found.sort(Comparator.comparing(Rotated::stamp).thenComparingLong(Rotated::suffix));
        return found.stream().map(Rotated::path).toList();
    }
}
