package dev.muxgate.logtools;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One task of the Spark job: a whole input file, or one newline-aligned {@link LogChunk} of a large
 * plain file, planned on the driver exactly as {@link LogInputs} plans its own parts, so both
 * engines fold the same bytes. {@code file} and {@code index} order the parts, which is what
 * renumbers a chunk's lines as the file's own once every part is folded. A path, not bytes: each
 * executor opens the file itself, so on a cluster the logs must be at the same path on every node
 * (a shared mount). That path is absolute (an executor's working directory is not the driver's);
 * {@code name} is the file as given, which the reports and warnings show.
 */
record SparkPart(int file, int index, String name, String path, long from, long to) implements Serializable {

    private static final long WHOLE = -1;

    /** The parts of {@code names} (files that exist), in input order. */
    static List<SparkPart> plan(List<String> names, long chunkBytes) {
        List<SparkPart> parts = new ArrayList<>();
        for (int f = 0; f < names.size(); f++) {
            String name = names.get(f);
            List<LogChunk> chunks;
            try {
                chunks = LogInputs.chunks(name, chunkBytes);
            } catch (IOException e) {
                // Read whole on the executor, which then reports the failure as the builtin engine does.
                chunks = List.of();
            }
            String path = Path.of(name).toAbsolutePath().toString();
            if (chunks.isEmpty()) {
                parts.add(new SparkPart(f, 0, name, path, WHOLE, WHOLE));
            }
            for (int i = 0; i < chunks.size(); i++) {
                parts.add(new SparkPart(f, i, name, path, chunks.get(i).from(), chunks.get(i).to()));
            }
        }
        return parts;
    }

    boolean whole() {
        return from == WHOLE;
    }

    /** This part's bytes: a chunk of the file, or the whole file (gzip unwrapped). */
    InputStream open() throws IOException {
        return whole() ? new LogInputs(List.of(), null).open(path) : new LogChunk(Path.of(path), from, to).open();
    }
}
