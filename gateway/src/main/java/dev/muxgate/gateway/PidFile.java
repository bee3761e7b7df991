package dev.muxgate.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * {@code muxgate.pid} in the state directory: the running gateway's process id, so that
 * {@code muxgate reload} and {@code muxgate reopen-logs} find whom to signal. Written once the
 * listeners are open (a start that fails leaves the previous file alone) and removed on a clean stop.
 */
final class PidFile {

    static final String NAME = "muxgate.pid";

    private final Path path;

    private PidFile(Path path) {
        this.path = path;
    }

    static Path in(Path stateDir) {
        return stateDir.resolve(NAME);
    }

    /** Writes this process's id, atomically (a reader never sees half a number). */
    static PidFile write(Path stateDir) throws IOException {
        Path file = in(stateDir);
        Files.createDirectories(stateDir);
        Path tmp = stateDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new PidFile(file);
    }

    /** Removes the file if it still names this process (a newer gateway may have taken it over). */
    void remove() {
        try {
            if (read(path).orElse(-1L) == ProcessHandle.current().pid()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // A pid file left behind is recognised as stale by the next command.
        }
    }

    /** The id a pid file names; empty when there is no file. */
    static Optional<Long> read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        try {
            return Optional.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            throw new IOException(file + " does not hold a process id: \"" + text + "\"");
        }
    }
}
