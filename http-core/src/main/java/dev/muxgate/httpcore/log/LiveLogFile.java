package dev.muxgate.httpcore.log;

import java.io.BufferedWriter;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The log file being written (access log, session log): opens it (creating its directories), appends lines through a
 * buffered UTF-8 writer, rotates it when {@link LogRotation} says so, and survives I/O failures by
 * counting them, dropping the broken file and opening it again on a later line. Confined to the
 * writer thread.
 */
final class LiveLogFile {

    /** How long after a failure lines are discarded before opening the file is tried again. */
    static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private static final int BUFFER_CHARS = 64 * 1024;

    private final Path path;
    private final LogRotation rotation;
    private final Clock clock;
    private final WriteErrorReport errors;

    private Writer out;
    /** Only a regular file is rotated: renaming /dev/stdout or a FIFO would take it from everyone. */
    private boolean regular = true;
    private long size;
    private Instant openedAt;
    private boolean unflushed;
    private Instant nextAttempt = Instant.MIN;

    LiveLogFile(Path path, LogRotation rotation, Clock clock, WriteErrorReport errors) {
        this.path = path;
        this.rotation = rotation;
        this.clock = clock;
        this.errors = errors;
    }

    /** Opens the file now, so that it exists (and problems show) before the first line. */
    void open() {
        tryOpen(clock.instant());
    }

    /**
     * Appends one line, which must end with its line break.
     *
     * @return whether the line went to the file (or its buffer); false when it was lost and counted
     */
    boolean write(char[] line, int length) {
        if (out == null && !reopenAfterFailure()) {
            return false;
        }
        int bytes = utf8Length(line, length);
        // The clock is read only when time matters, not for every line.
        if (regular && (rotation.sizeDue(size, bytes) || rotation.byTime() && timeDue(clock.instant()))) {
            rotate(clock.instant());
            if (out == null) {
                return false;
            }
        }
        try {
            out.write(line, 0, length);
            size += bytes;
            unflushed = true;
            return true;
        } catch (IOException e) {
            fail("write", e);
            return false;
        }
    }

    /** Opens the file again once the retry delay after a failure has passed. */
    private boolean reopenAfterFailure() {
        Instant now = clock.instant();
        if (now.isBefore(nextAttempt)) {
            errors.discarded();
            return false;
        }
        return tryOpen(now);
    }

    /** Pushes buffered lines to the file. */
    void flush() {
        if (out == null || !unflushed) {
            return;
        }
        try {
            out.flush();
            unflushed = false;
            errors.succeeded();
        } catch (IOException e) {
            fail("write", e);
        }
    }

    /** Rotates by time while no lines arrive, so a quiet file still rotates on schedule. */
    void idle() {
        if (out == null || !regular || !rotation.byTime()) {
            return;
        }
        Instant now = clock.instant();
        if (timeDue(now)) {
            rotate(now);
        }
    }

    private boolean timeDue(Instant now) {
        if (!rotation.timeDue(openedAt, now)) {
            return false;
        }
        if (size == 0) {
            // An empty file is not worth keeping: let it stand for the new interval instead.
            openedAt = now;
            return false;
        }
        return true;
    }

    /** Closes and opens the same path again, for rotation done by someone else (logrotate). */
    void reopen() {
        closeFile("write");
        tryOpen(clock.instant());
    }

    void close() {
        closeFile("write");
    }

    private void rotate(Instant now) {
        closeFile("write before rotating");
        boolean renamed = false;
        try {
            List<IOException> pruneFailures = new ArrayList<>();
            rotation.rotate(now, pruneFailures);
            renamed = true;
            for (IOException e : pruneFailures) {
                errors.failed("delete an old rotated file", e);
            }
        } catch (IOException e) {
            errors.failed("rename for rotation", e);
        }
        if (tryOpen(now) && !renamed) {
            // Keep appending to the unrotated file, and count afresh so a failing rename is
            // retried once per rotation period rather than before every line.
            size = 0;
        }
    }

    private boolean tryOpen(Instant now) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileOutputStream file = new FileOutputStream(path.toFile(), true);
            regular = Files.isRegularFile(path);
            try {
                size = file.getChannel().size();
            } catch (IOException e) {
                file.close();
                throw e;
            }
            out = new BufferedWriter(new OutputStreamWriter(file, StandardCharsets.UTF_8), BUFFER_CHARS);
            openedAt = now;
            unflushed = false;
            return true;
        } catch (IOException | RuntimeException e) {
            // InvalidPathException and SecurityException are as fatal to this line as I/O errors.
            fail("open", e);
            return false;
        }
    }

    private void fail(String action, Exception e) {
        errors.failed(action, e);
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Already counted the failure that brought us here; the file is being dropped.
            }
            out = null;
        }
        nextAttempt = clock.instant().plus(RETRY_DELAY);
    }

    private void closeFile(String action) {
        if (out == null) {
            return;
        }
        try {
            out.close();
            if (unflushed) {
                errors.succeeded();
            }
        } catch (IOException e) {
            errors.failed(action, e);
        } finally {
            out = null;
            unflushed = false;
        }
    }

    /** Bytes the line takes in UTF-8; the encoder writes '?' (one byte) for a lone surrogate. */
    static int utf8Length(char[] chars, int length) {
        int bytes = 0;
        for (int i = 0; i < length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(chars[i + 1])) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
