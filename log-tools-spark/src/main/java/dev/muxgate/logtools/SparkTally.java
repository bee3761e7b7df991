package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the Spark job's tasks return and its tree of reductions combines: the {@link LogTally} of
 * the parts folded so far, and, kept apart per part, what needs the part's place in its file (its
 * line count, its first malformed lines and its read errors, numbered from the part's first line).
 * The tallies merge on the executors (sessions meet their other parts there); the per-part notes
 * are a few dozen bytes each and are renumbered once, on the driver, in file order, as
 * {@link LogInputs#foldAll} does.
 */
final class SparkTally implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One part's lines, malformed samples and read errors, before renumbering. */
    record PartLines(int file, int index, long lineCount, List<LogTally.Malformed> samples,
                     List<LogTally.ReadError> errors) implements Serializable {
    }

    private final LogTally tally;
    private final List<PartLines> parts;

    private SparkTally(LogTally tally, List<PartLines> parts) {
        this.tally = tally;
        this.parts = parts;
    }

    /** Folds one part with the same {@link AccessLogFold} the builtin engine runs. */
    static SparkTally fold(SparkPart part, String format, boolean perMinute) throws IOException {
        InputStream in;
        try {
            in = part.open();
        } catch (IOException e) {
            LogTally failed = new LogTally();
            failed.addReadError(part.name(), -1, "cannot open", e.getMessage());
            return of(part, failed);
        }
        try (in) {
            return of(part, AccessLogFold.fold(AccessLogFormat.parse(format), perMinute, part.name(), in));
        }
    }

    /** The part's tally with its line-numbered notes moved aside. */
    private static SparkTally of(SparkPart part, LogTally tally) {
        PartLines lines = new PartLines(part.file(), part.index(), tally.lineCount(), List.copyOf(tally.samples),
                List.copyOf(tally.errors));
        tally.samples.clear();
        tally.errors.clear();
        List<PartLines> parts = new ArrayList<>();
        parts.add(lines);
        return new SparkTally(tally, parts);
    }

    /** Adds {@code other} into this one and returns this; {@code other} is not changed. */
    static SparkTally combine(SparkTally into, SparkTally other) {
        into.tally.mergeIn(other.tally);
        into.parts.addAll(other.parts);
        return into;
    }

    /** The tally of every part, its malformed lines and read errors numbered as their files' lines. */
    LogTally result() {
        List<PartLines> ordered = new ArrayList<>(parts);
        ordered.sort(Comparator.comparingInt(PartLines::file).thenComparingInt(PartLines::index));
        LogTally out = new LogTally();
        out.absorb(tally);
        int file = -1;
        long linesBefore = 0;
        for (PartLines part : ordered) {
            if (part.file() != file) {
                file = part.file();
                linesBefore = 0;
            }
            LogTally notes = new LogTally();
            notes.samples.addAll(part.samples());
            notes.errors.addAll(part.errors());
            notes.shiftLines(linesBefore);
            out.absorb(notes);
            linesBefore += part.lineCount();
        }
        return out;
    }
}
