package dev.muxgate.logtools;

import java.util.List;

/**
 * Something other than this JVM's reading threads that folds access logs into a {@link LogTally}:
 * Apache Spark, in the {@code log-tools-spark} module, found with {@link java.util.ServiceLoader}
 * when that module and Spark are on the class path ({@code bin/muxgate-logs --engine spark} puts
 * them there). It runs the same {@link AccessLogFold} over the same parts of the same files, and
 * its tally combines the same way, so every report reads the same from either.
 */
public interface FoldEngine {

    /** The name {@code --engine} picks it by. */
    String name();

    /**
     * Folds the access logs {@code request} names (files that exist and can be read, globs already
     * expanded; never standard input) and returns their tally, with malformed lines and read
     * errors numbered as the files' own lines.
     *
     * @throws UsageException when the engine cannot run with the options given (a bad master URL)
     */
    LogTally fold(Request request);

    /**
     * What to fold and how: the files, the access log format's text, whether streams per minute
     * are wanted ({@code timeline}, {@code --html}), the engine's master URL (null for its default)
     * and the largest part a plain file is read in.
     */
    record Request(List<String> files, String format, boolean perMinute, String master, long chunkBytes) {
        public Request {
            files = List.copyOf(files);
        }
    }
}
