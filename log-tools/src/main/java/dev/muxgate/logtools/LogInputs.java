package dev.muxgate.logtools;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;

/**
 * The inputs of one run: files (plain or gzip, told apart by their first bytes, so rotated
 * {@code .gz} files and gzip on stdin both work) and {@code -} for standard input. Folds them on a
 * small thread pool, one input per task, except that a large plain file is cut into
 * newline-aligned {@link LogChunk chunks} folded at once; the partial results combine in input
 * order, and a chunk's line numbers are shifted by the lines of the chunks before it.
 */
final class LogInputs {

    static final String STDIN = "-";
    private static final int BUFFER = 1 << 16;

    /** The chunk size for large plain files: small enough to share the work out evenly, large enough that each chunk's own set-up does not show. */
    static final long CHUNK_BYTES = 32L << 20;

    private final List<String> names;
    private final InputStream stdin;
    private final long chunkBytes;
    /** What reads an input whose first byte is '{' (JSON Lines) as text lines; none by default. */
    private java.util.function.UnaryOperator<InputStream> jsonLines = java.util.function.UnaryOperator.identity();

    LogInputs(List<String> names, InputStream stdin) {
        this(names, stdin, CHUNK_BYTES);
    }

    /** These inputs, with JSON Lines ones read through {@code reader} (see {@link JsonLinesInput}). */
    LogInputs jsonLines(java.util.function.UnaryOperator<InputStream> reader) {
        this.jsonLines = java.util.Objects.requireNonNull(reader, "reader");
        return this;
    }

    LogInputs(List<String> names, InputStream stdin, long chunkBytes) {
        this.names = expandGlobs(names);
        this.stdin = stdin;
        this.chunkBytes = chunkBytes;
    }

    /**
     * Names with {@code *}, {@code ?} or {@code [} that name no file are globs the shell did not
     * expand (quoted, or no shell at all): each becomes the files of its directory it matches, in
     * name order. A glob that matches nothing stays, to be reported as no such file.
     */
    static List<String> expandGlobs(List<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            Path path = name.equals(STDIN) ? null : Path.of(name);
            if (path == null || Files.exists(path) || !name.matches(".*[*?\\[].*")
                    || path.getFileName() == null || path.getParent() != null && !Files.isDirectory(path.getParent())) {
                out.add(name);
                continue;
            }
            Path dir = path.getParent() == null ? Path.of("") : path.getParent();
            List<String> matches = new ArrayList<>();
            try (var entries = Files.newDirectoryStream(dir.toAbsolutePath(), path.getFileName().toString())) {
                for (Path entry : entries) {
                    if (Files.isRegularFile(entry)) {
                        matches.add(path.getParent() == null ? entry.getFileName().toString()
                                : path.getParent().resolve(entry.getFileName()).toString());
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // Unreadable directory or a pattern that is not a glob: the name is reported as given.
            }
            if (matches.isEmpty()) {
                out.add(name);
            } else {
                matches.sort(null);
                out.addAll(matches);
            }
        }
        return List.copyOf(out);
    }

    /** The first input that cannot be read, as a sentence; null when all can. */
    String unreadable() {
        long stdinCount = names.stream().filter(STDIN::equals).count();
        if (stdinCount > 1) {
            return "standard input ('-') can be read only once";
        }
        for (String name : names) {
            if (name.equals(STDIN)) {
                continue;
            }
            Path path = Path.of(name);
            if (!Files.exists(path)) {
                return "no such file: " + name;
            }
            if (Files.isDirectory(path) || !Files.isReadable(path)) {
                return "cannot read " + name + (Files.isDirectory(path) ? " (a directory)" : "");
            }
        }
        return null;
    }

    /** Opens one input, unwrapping gzip when its first two bytes are the gzip magic. */
    InputStream open(String name) throws IOException {
        InputStream raw = name.equals(STDIN) ? stdin : Files.newInputStream(Path.of(name));
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        BufferedInputStream text = b1 == 0x1f && b2 == 0x8b
                ? new BufferedInputStream(new GZIPInputStream(in, BUFFER), BUFFER) : in;
        text.mark(1);
        int first = text.read();
        text.reset();
        return first == '{' ? jsonLines.apply(text) : text;
    }

    /**
     * Folds every input with {@code fold} (given the input's name and open stream) on up to
     * {@code threads} threads, a large plain file as several chunks, and combines the partial
     * results in input order. At most two parts per thread are in flight, so memory follows the
     * sessions in a few parts, not the number of parts.
     */
    LogTally foldAll(int threads, BiFunction<String, InputStream, LogTally> fold,
                     BiFunction<String, IOException, LogTally> onOpenError) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "muxgate-logs-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            LogTally result = new LogTally();
            Deque<Part> inFlight = new ArrayDeque<>();
            Iterator<String> next = names.iterator();
            Iterator<Part> pending = List.<Part>of().iterator();
            long linesBefore = 0;
            while (true) {
                while (inFlight.size() < 2 * Math.max(1, threads) && (pending.hasNext() || next.hasNext())) {
                    if (!pending.hasNext()) {
                        pending = parts(next.next(), onOpenError).iterator();
                        continue;
                    }
                    Part part = pending.next();
                    if (part.done == null) {
                        part.done = pool.submit(() -> foldPart(part, fold, onOpenError));
                    }
                    inFlight.add(part);
                }
                if (inFlight.isEmpty()) {
                    return result;
                }
                Part part = inFlight.remove();
                LogTally tally = part.done.get();
                if (part.chunk == null || part.chunk.from() == 0) {
                    linesBefore = 0;
                }
                tally.shiftLines(linesBefore);
                linesBefore += tally.lineCount();
                result.absorb(tally);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the logs", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof IOException io) {
                throw new UncheckedIOException(io);
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One task: a whole input, or one chunk of a large plain file; {@code done} is set once submitted. */
    private static final class Part {
        final String name;
        final LogChunk chunk;
        Future<LogTally> done;

        Part(String name, LogChunk chunk) {
            this.name = name;
            this.chunk = chunk;
        }
    }

    /** The inputs, globs expanded. */
    List<String> names() {
        return names;
    }

    /**
     * How {@code name} is read: as newline-aligned chunks of about {@code chunkBytes} when it is a
     * plain file of two chunks or more, else whole (an empty list). Another engine reading the same
     * files plans its parts with this too.
     */
    static List<LogChunk> chunks(String name, long chunkBytes) throws IOException {
        if (name.equals(STDIN)) {
            return List.of();
        }
        Path path = Path.of(name);
        long size = Files.size(path);
        if (size < 2 * chunkBytes || gzip(path) || jsonLines(path)) {
            return List.of();
        }
        return LogChunk.split(path, size, chunkBytes);
    }

    /** The parts of one input: chunks for a plain file of two chunks or more, else the whole input. */
    private List<Part> parts(String name, BiFunction<String, IOException, LogTally> onOpenError) {
        try {
            List<LogChunk> chunks = chunks(name, chunkBytes);
            if (chunks.isEmpty()) {
                return List.of(new Part(name, null));
            }
            List<Part> parts = new ArrayList<>();
            for (LogChunk chunk : chunks) {
                parts.add(new Part(name, chunk));
            }
            return parts;
        } catch (IOException e) {
            Part failed = new Part(name, null);
            failed.done = java.util.concurrent.CompletableFuture.completedFuture(onOpenError.apply(name, e));
            return List.of(failed);
        }
    }

    /** JSON Lines are read whole, through the reader that spells them as text. */
    private static boolean jsonLines(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == '{';
        }
    }

    private static boolean gzip(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    private LogTally foldPart(Part part, BiFunction<String, InputStream, LogTally> fold,
                              BiFunction<String, IOException, LogTally> onOpenError) throws IOException {
        InputStream in;
        try {
            in = part.chunk != null ? part.chunk.open() : open(part.name);
        } catch (IOException e) {
            return onOpenError.apply(part.name, e);
        }
        try {
            return fold.apply(part.name, in);
        } finally {
            if (!part.name.equals(STDIN)) {
                in.close();
            }
        }
    }
}
