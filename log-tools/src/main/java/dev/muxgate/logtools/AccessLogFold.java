package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Folds one input's access log lines into a {@link LogTally}: parses the lines in place in its
 * read buffer with an {@link AccessLineParser}, which finds each line's end as it goes (a line
 * longer than {@link #MAX_LINE} bytes is malformed, skipped without being held), and adds each to
 * its session's row in {@link SessionRows}. An input is a whole file or stream, or one
 * {@link LogChunk} of a large file, whose lines are numbered from 1. Lines starting
 * {@code #} are the writer's notes and are counted apart. A read failure (a truncated gzip, an I/O
 * error) ends the input with an error in the tally and keeps what was read before it.
 * One instance per input; the same code folds a file here or a partition on a cluster.
 */
final class AccessLogFold {

    /** The longest line read; the writer's lines are far shorter, so longer is not a log line. */
    static final int MAX_LINE = 1 << 20;
    private static final String TOO_LONG = "is longer than " + MAX_LINE + " bytes";
    /** Room for a cut line of up to {@link #MAX_LINE} moved to the front, and a full read after it. */
    static final int BUFFER = 2 * MAX_LINE + 64;
    /**
     * Bytes asked for per read. Far less than the buffer: after each read the few bytes of a cut
     * line move to the front, so the bytes in use stay in the first few hundred KiB, in the core's
     * own cache beside the session rows, instead of streaming through all of the buffer.
     */
    private static final int READ = 1 << 17;

    /**
     * What a report reads of each line beyond its session, streams, bytes and status: streams per
     * minute ({@code timeline}, {@code --html}), each session's first and last time, its client.
     */
    record Wants(boolean perMinute, boolean times, boolean clients) {
        /** Everything but perhaps the per-minute counts. */
        static Wants all(boolean perMinute) {
            return new Wants(perMinute, true, true);
        }

        /**
         * True when a session's stream count is all the report reads of it: its bytes and
         * statuses then count only in its protocol's totals ({@link LogTally#protocols}).
         */
        boolean streamsOnly() {
            return !times && !clients;
        }
    }

    private final AccessLineParser parser;
    private final boolean perMinute;
    /**
     * Whether sessions keep their first and last time, and their client. Every line is parsed
     * and judged the same either way; without them a line only adds to its session's counters.
     */
    private final boolean times;
    private final boolean clients;
    private final LogTally tally = new LogTally();
    private final FoldWorkspace workspace;
    private final SessionRows sessions;
    private int lastProtocol = -1;
    /** Per protocol index, its lines added up; put in the tally by name once the input is read. */
    private SessionTally[] protocolLines = new SessionTally[0];
    /** The input's untagged lines, merged into the workspace's when it is read. */
    private SessionTally untagged;
    /** Per protocol index + 1 (0 for untagged): the minute counted last and its counter. */
    private long[][] minuteCounters = new long[1][];
    private long[] lastMinutes = new long[1];

    private static final int UNTAGGED = -1;

    private AccessLogFold(AccessLogFormat format, Wants wants, FoldWorkspace workspace) {
        this.parser = AccessLineParser.compile(format);
        this.perMinute = wants.perMinute();
        this.times = wants.times();
        this.clients = wants.clients();
        if (workspace.streamsOnly() != wants.streamsOnly()) {
            throw new IllegalArgumentException("the workspace's sessions keep "
                    + (workspace.streamsOnly() ? "only stream counts" : "every counter") + ", not what the report wants");
        }
        this.workspace = workspace;
        this.sessions = workspace.input;
        sessions.clear();
    }

    /** Reads {@code in} to its end (it is not closed) and returns the tally of its lines and sessions. */
    static LogTally fold(AccessLogFormat format, boolean perMinute, String source, InputStream in) {
        FoldWorkspace workspace = new FoldWorkspace();
        LogTally tally = fold(format, perMinute, source, in, workspace);
        workspace.drainInto(tally);
        return tally;
    }

    /**
     * As {@link #fold(AccessLogFormat, boolean, String, InputStream)}, in {@code workspace}: one
     * per thread can serve every input that thread folds, one after the other. The tally returned
     * has no sessions: they are added to the workspace's, which {@link FoldWorkspace#drainInto} hands over.
     */
    static LogTally fold(AccessLogFormat format, boolean perMinute, String source, InputStream in, FoldWorkspace workspace) {
        return fold(format, Wants.all(perMinute), source, in, workspace);
    }

    /** As {@link #fold(AccessLogFormat, boolean, String, InputStream, FoldWorkspace)}, reading only what {@code wants} says. */
    static LogTally fold(AccessLogFormat format, Wants wants, String source, InputStream in, FoldWorkspace workspace) {
        AccessLogFold fold = new AccessLogFold(format, wants, workspace);
        fold.read(source, in, workspace.buffer);
        fold.finish();
        return fold.tally;
    }

    /**
     * Reads {@code in} into one buffer and parses the lines in place: the parser finds each line's
     * end as it splits the fields, so every byte is looked at once. A line cut by the buffer's end
     * is moved down and parsed again whole once more bytes are in.
     */
    private void read(String source, InputStream in, byte[] buf) {
        int pos = 0;
        int limit = 0;
        long lineNumber = 0;
        boolean atEnd = false;
        // Inside a line too long to keep: its bytes are dropped up to its newline.
        boolean skipping = false;
        try {
            while (true) {
                while (pos < limit) {
                    if (skipping) {
                        int newline = LogBytes.indexOf(buf, pos, limit, (byte) '\n');
                        skipping = newline == limit;
                        pos = skipping ? limit : newline + 1;
                        continue;
                    }
                    int end = line(source, lineNumber + 1, buf, pos, limit, atEnd);
                    if (end == AccessLineParser.INCOMPLETE) {
                        break;
                    }
                    lineNumber++;
                    pos = end + 1;
                }
                if (atEnd) {
                    return;
                }
                if (!skipping && limit - pos > MAX_LINE) {
                    tally.addMalformed(source, ++lineNumber, TOO_LONG);
                    int newline = LogBytes.indexOf(buf, pos, limit, (byte) '\n');
                    skipping = newline == limit;
                    pos = skipping ? limit : newline + 1;
                }
                if (pos >= limit) {
                    pos = limit = 0;
                } else if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, limit - pos);
                    limit -= pos;
                    pos = 0;
                }
                int n = in.read(buf, limit, Math.min(READ, buf.length - limit));
                if (n < 0) {
                    atEnd = true;
                } else {
                    limit += n;
                }
            }
        } catch (EOFException e) {
            tally.addReadError(source, lineNumber, "ends early (truncated gzip?)", null);
        } catch (IOException e) {
            tally.addReadError(source, lineNumber, "read failed", e.getMessage());
        }
    }

    /**
     * Folds the line that starts at {@code buf[start]} (see {@link AccessLineParser#parseLine}).
     *
     * @return the index of its newline, or {@link AccessLineParser#INCOMPLETE}
     */
    private int line(String source, long number, byte[] buf, int start, int limit, boolean atEnd) {
        boolean note = start < limit && buf[start] == '#';
        int end = note ? LogBytes.indexOf(buf, start, limit, (byte) '\n') : parser.parseLine(buf, start, limit, atEnd);
        if (end == AccessLineParser.INCOMPLETE || note && end == limit && !atEnd) {
            return AccessLineParser.INCOMPLETE;
        }
        if (end - start > MAX_LINE) {
            tally.addMalformed(source, number, TOO_LONG);
            return end;
        }
        if (note) {
            tally.notes++;
            return end;
        }
        String problem = parser.problem();
        if (problem != null) {
            tally.addMalformed(source, number, problem);
            return end;
        }
        tally.lines++;
        int protocol = parser.hasProtocol() && parser.sessionId() != 0 ? protocol() : UNTAGGED;
        boolean hasTime = times && parser.hasTime();
        long timeMillis = parser.timeMillis();
        if (protocol == UNTAGGED) {
            if (untagged == null) {
                untagged = new SessionTally();
            }
            String client = clients && (untagged.client == null || hasTime && timeMillis < untagged.first) ? parser.client() : null;
            untagged.add(parser.bytes(), parser.status(), hasTime, timeMillis, client);
        } else {
            linesOf(protocol).add(parser.bytes(), parser.status(), false, 0, null);
            int slot = sessions.slot(protocol, parser.sessionId());
            // The client is made into a string only when it may be kept: a session's first line, or an earlier one.
            String client = clients && sessions.wantsClient(slot, hasTime, timeMillis) ? parser.client() : null;
            sessions.add(slot, parser.bytes(), parser.status(), hasTime, timeMillis, client);
        }
        if (perMinute && parser.hasTime()) {
            countMinute(protocol, Math.floorDiv(parser.timeMillis(), 60_000L));
        }
        return end;
    }

    /** Lines come in time order, so each protocol's current minute counter is kept at hand. */
    private void countMinute(int protocol, long minute) {
        int slot = protocol + 1;
        if (slot >= minuteCounters.length) {
            minuteCounters = Arrays.copyOf(minuteCounters, slot + 1);
            lastMinutes = Arrays.copyOf(lastMinutes, slot + 1);
        }
        long[] counter = minuteCounters[slot];
        if (counter == null || lastMinutes[slot] != minute) {
            String name = protocol == UNTAGGED ? SessionKey.UNTAGGED_PROTOCOL : workspace.protocolNames[protocol];
            counter = tally.streamsPerMinute.computeIfAbsent(new LogTally.Minute(name, minute), k -> new long[1]);
            minuteCounters[slot] = counter;
            lastMinutes[slot] = minute;
        }
        counter[0]++;
    }

    /** The running totals of the protocol's lines. */
    private SessionTally linesOf(int protocol) {
        if (protocol >= protocolLines.length) {
            protocolLines = Arrays.copyOf(protocolLines, protocol + 1);
        }
        SessionTally lines = protocolLines[protocol];
        if (lines == null) {
            lines = new SessionTally();
            protocolLines[protocol] = lines;
        }
        return lines;
    }

    /** Adds the input's sessions to the workspace's, and its protocols' totals to the tally, once the input is read. */
    private void finish() {
        for (int p = 0; p < protocolLines.length; p++) {
            if (protocolLines[p] != null) {
                tally.addProtocolLines(workspace.protocolNames[p], protocolLines[p]);
            }
        }
        sessions.mergeInto(workspace.read);
        workspace.addUntagged(untagged);
    }

    /** The index of the line's protocol in the workspace's names; the last line's is tried first. */
    private int protocol() {
        byte[][] tokens = workspace.protocolTokens;
        if (lastProtocol >= 0 && parser.protocolEquals(tokens[lastProtocol])) {
            return lastProtocol;
        }
        for (int i = 0; i < tokens.length; i++) {
            if (parser.protocolEquals(tokens[i])) {
                lastProtocol = i;
                return i;
            }
        }
        byte[] token = parser.protocolToken();
        lastProtocol = workspace.protocolIndex(token, AccessLogFormat.unescape(new String(token, StandardCharsets.ISO_8859_1)));
        return lastProtocol;
    }
}
