package dev.muxgate.gateway;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Reading a log file the gateway is still writing, for the tests. */
public final class LogLines {

    private LogLines() {
    }

    /**
     * The file's lines up to its last line break: the writer's buffer can go out mid-line while it
     * catches up with a burst, and a line cut short is not a line yet.
     */
    public static List<String> complete(Path file) throws IOException {
        String text = java.nio.file.Files.readString(file);
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().toList();
    }
}
