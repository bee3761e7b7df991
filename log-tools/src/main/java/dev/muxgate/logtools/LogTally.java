package dev.muxgate.logtools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The partial result of reading some access log lines (a file, a chunk of one, or many files):
 * a {@link SessionTally} per session, streams per protocol and minute, counts of lines, notes and
 * malformed lines with the first few of them, and read errors. {@link #combine} is associative and
 * commutative, so files folded in parallel (or partitions on a distributed engine) combine into
 * the same report in any order. Its size grows with distinct sessions and minutes, never with lines.
 */
final class LogTally implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    /** Malformed lines kept as examples; the rest are only counted. */
    static final int SAMPLES = 5;

    /** One malformed line: where it is and why it was refused. */
    record Malformed(String source, long line, String reason) implements java.io.Serializable {
        static final Comparator<Malformed> ORDER =
                Comparator.comparing(Malformed::source).thenComparingLong(Malformed::line);

        @Override
        public String toString() {
            return source + ":" + line + ": " + reason;
        }
    }

    /**
     * An input that could not be read to its end: what went wrong and, when lines were read
     * before it ({@code afterLine >= 0}), how many.
     */
    record ReadError(String source, long afterLine, String what, String detail) implements java.io.Serializable {
        static final Comparator<ReadError> ORDER = Comparator.comparing(ReadError::toString);

        @Override
        public String toString() {
            return source + ": " + what + (afterLine >= 0 ? " after " + afterLine + " lines" : "")
                    + (detail == null ? "" : ": " + detail);
        }
    }

    /** One protocol's streams in one minute (epoch minutes). */
    record Minute(String protocol, long minute) implements java.io.Serializable {
    }

    final Map<SessionKey, SessionTally> sessions = new HashMap<>();
    /**
     * Per protocol, its tagged lines added up: streams, bytes, status classes (no times or
     * client). What {@code summary} reports per protocol; a fold that keeps only each session's
     * stream count ({@link AccessLogFold.Wants#streamsOnly}) has the bytes and statuses only here.
     */
    final Map<String, SessionTally> protocols = new HashMap<>();
    final Map<Minute, long[]> streamsPerMinute = new HashMap<>();
    long lines;
    long notes;
    long malformed;
    final List<Malformed> samples = new ArrayList<>();
    final List<ReadError> errors = new ArrayList<>();

    void addMalformed(String source, long line, String reason) {
        malformed++;
        if (samples.size() < SAMPLES || Malformed.ORDER.compare(new Malformed(source, line, reason),
                samples.get(samples.size() - 1)) < 0) {
            samples.add(new Malformed(source, line, reason));
            trimSamples();
        }
    }

    /** Adds one session's tally, merged with what this tally has of that session; {@code session} is taken over. */
    void addSession(SessionKey key, SessionTally session) {
        sessions.merge(key, session, (mine, theirs) -> {
            mine.merge(theirs);
            return mine;
        });
    }

    /** Adds lines of {@code protocol} to its totals; {@code lines} is taken over. */
    void addProtocolLines(String protocol, SessionTally lines) {
        protocols.merge(protocol, lines, (mine, theirs) -> {
            mine.merge(theirs);
            return mine;
        });
    }

    /** Records that {@code source} could not be read past its first {@code afterLine} lines (-1: not opened). */
    void addReadError(String source, long afterLine, String what, String detail) {
        errors.add(new ReadError(source, afterLine, what, detail));
    }

    /** Every line read: each one is a report line, a writer's note or a malformed line. */
    long lineCount() {
        return lines + notes + malformed;
    }

    /**
     * Renumbers the lines this tally names by {@code offset}: a chunk of a file is read with its
     * first line as line 1, and once the lines of the chunks before it are counted, its line
     * numbers are made the file's.
     */
    void shiftLines(long offset) {
        samples.replaceAll(m -> new Malformed(m.source(), m.line() + offset, m.reason()));
        errors.replaceAll(e -> e.afterLine() < 0 ? e : new ReadError(e.source(), e.afterLine() + offset, e.what(), e.detail()));
    }

    private void trimSamples() {
        samples.sort(Malformed.ORDER);
        while (samples.size() > SAMPLES) {
            samples.remove(samples.size() - 1);
        }
    }

    /** A new tally holding both; neither input is changed. */
    static LogTally combine(LogTally a, LogTally b) {
        LogTally out = new LogTally();
        out.mergeIn(a);
        out.mergeIn(b);
        return out;
    }

    /** Adds {@code other} into this tally ({@code other} is not changed). */
    void mergeIn(LogTally other) {
        mergeIn(other, true);
    }

    /**
     * Adds {@code other} into this tally and takes its session tallies over rather than copying
     * them; {@code other} must not be used afterwards (a part's tally, once combined).
     */
    void absorb(LogTally other) {
        mergeIn(other, false);
    }

    private void mergeIn(LogTally other, boolean copy) {
        other.sessions.forEach((key, tally) -> addSession(key, copy ? tally.copy() : tally));
        other.protocols.forEach((protocol, lines) -> addProtocolLines(protocol, copy ? lines.copy() : lines));
        other.streamsPerMinute.forEach((key, count) ->
                streamsPerMinute.computeIfAbsent(key, k -> new long[1])[0] += count[0]);
        lines += other.lines;
        notes += other.notes;
        malformed += other.malformed;
        samples.addAll(other.samples);
        trimSamples();
        errors.addAll(other.errors);
        errors.sort(ReadError.ORDER);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof LogTally t)) {
            return false;
        }
        if (streamsPerMinute.size() != t.streamsPerMinute.size()) {
            return false;
        }
        for (Map.Entry<Minute, long[]> e : streamsPerMinute.entrySet()) {
            long[] theirs = t.streamsPerMinute.get(e.getKey());
            if (theirs == null || theirs[0] != e.getValue()[0]) {
                return false;
            }
        }
        return lines == t.lines && notes == t.notes && malformed == t.malformed
                && sessions.equals(t.sessions) && protocols.equals(t.protocols) && samples.equals(t.samples)
                && errors.equals(t.errors);
    }

    @Override
    public int hashCode() {
        return Objects.hash(lines, malformed, sessions.size());
    }

    @Override
    public String toString() {
        return "LogTally{lines=" + lines + ", malformed=" + malformed + ", sessions=" + sessions.size() + "}";
    }
}
