package dev.muxgate.logtools;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * small thread pool, one input per task, and combines the partial results in input order.
 */
final class LogInputs {

    static final String STDIN = "-";
    private static final int BUFFER = 1 << 16;

    private final List<String> names;
    private final InputStream stdin;

    LogInputs(List<String> names, InputStream stdin) {
        this.names = List.copyOf(names);
        this.stdin = stdin;
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
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(in, BUFFER);
        }
        return in;
    }

    /**
     * Folds every input with {@code fold} (given the input's name and open stream) on up to
     * {@code threads} threads and combines the results in input order with {@code combine}.
     */
    <T> T foldAll(int threads, BiFunction<String, InputStream, T> fold, BiFunction<T, T, T> combine,
                  BiFunction<String, IOException, T> onOpenError) {
        int poolSize = Math.max(1, Math.min(threads, names.size()));
        ExecutorService pool = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "muxgate-logs-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> parts = new ArrayList<>();
            for (String name : names) {
                parts.add(pool.submit(() -> {
                    InputStream in;
                    try {
                        in = open(name);
                    } catch (IOException e) {
                        return onOpenError.apply(name, e);
                    }
                    try {
                        return fold.apply(name, in);
                    } finally {
                        if (!name.equals(STDIN)) {
                            in.close();
                        }
                    }
                }));
            }
            T result = null;
            for (Future<T> part : parts) {
                T value = part.get();
                result = result == null ? value : combine.apply(result, value);
            }
            return result;
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
}
