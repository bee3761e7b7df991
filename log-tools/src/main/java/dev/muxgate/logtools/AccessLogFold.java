package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Folds one input's access log lines into a {@link LogTally}: splits the byte stream into lines
 * (a line longer than {@link #MAX_LINE} bytes is malformed, skipped without being held), parses
 * each with an {@link AccessLineParser} and adds it to its session's tally. Lines starting
 * {@code #} are the writer's notes and are counted apart. A read failure (a truncated gzip, an I/O
 * error) ends the input with an error in the tally and keeps what was read before it.
 * One instance per input; the same code folds a file here or a partition on a cluster.
 */
final class AccessLogFold {

    /** The longest line read; the writer's lines are far shorter, so longer is not a log line. */
    static final int MAX_LINE = 1 << 20;

    private final AccessLineParser parser;
    private final boolean perMinute;
    private final LogTally tally = new LogTally();
    /** Protocol tokens seen so far and their names: a handful, so a linear scan beats hashing. */
    private byte[][] protocolTokens = new byte[0][];
    private String[] protocolNames = new String[0];

    AccessLogFold(AccessLogFormat format, boolean perMinute) {
        this.parser = AccessLineParser.compile(format);
        this.perMinute = perMinute;
    }

    /** Reads {@code in} to its end (it is not closed) and returns the tally of its lines. */
    static LogTally fold(AccessLogFormat format, boolean perMinute, String source, InputStream in) {
        AccessLogFold fold = new AccessLogFold(format, perMinute);
        fold.read(source, in);
        return fold.tally;
    }

    private void read(String source, InputStream in) {
        byte[] buf = new byte[MAX_LINE];
        int start = 0;
        int limit = 0;
        int scan = 0;
        long lineNumber = 0;
        boolean skipping = false;
        try {
            while (true) {
                int n = in.read(buf, limit, buf.length - limit);
                if (n < 0) {
                    if (limit > start && !skipping) {
                        line(source, ++lineNumber, buf, start, limit);
                    }
                    return;
                }
                limit += n;
                for (int p = scan; p < limit; p++) {
                    if (buf[p] == '\n') {
                        if (skipping) {
                            skipping = false;
                        } else {
                            line(source, ++lineNumber, buf, start, p > start && buf[p - 1] == '\r' ? p - 1 : p);
                        }
                        start = p + 1;
                    }
                }
                if (start == limit) {
                    start = limit = 0;
                } else if (limit == buf.length) {
                    if (start > 0) {
                        System.arraycopy(buf, start, buf, 0, limit - start);
                        limit -= start;
                        start = 0;
                    } else {
                        if (!skipping) {
                            tally.addMalformed(source, ++lineNumber, "is longer than " + MAX_LINE + " bytes");
                            skipping = true;
                        }
                        start = limit = 0;
                    }
                }
                scan = limit;
            }
        } catch (EOFException e) {
            tally.errors.add(source + ": ends early (truncated gzip?) after " + lineNumber + " lines");
        } catch (IOException e) {
            tally.errors.add(source + ": read failed after " + lineNumber + " lines: " + e.getMessage());
        }
    }

    private void line(String source, long number, byte[] buf, int start, int end) {
        if (end > start && buf[start] == '#') {
            tally.notes++;
            return;
        }
        String problem = parser.parse(buf, start, end);
        if (problem != null) {
            tally.addMalformed(source, number, problem);
            return;
        }
        SessionKey key;
        if (!parser.hasProtocol() || parser.sessionId() == 0) {
            key = SessionKey.UNTAGGED;
        } else {
            key = new SessionKey(protocol(), parser.sessionId());
        }
        tally.lines++;
        SessionTally session = tally.sessions.get(key);
        if (session == null) {
            session = new SessionTally();
            tally.sessions.put(key, session);
        }
        String client = session.client == null || parser.hasTime() && parser.timeMillis() < session.first
                ? parser.client() : null;
        session.add(parser.bytes(), parser.status(), parser.hasTime(), parser.timeMillis(), client);
        if (perMinute && parser.hasTime()) {
            tally.streamsPerMinute.computeIfAbsent(
                    new LogTally.Minute(key.protocol(), Math.floorDiv(parser.timeMillis(), 60_000L)), k -> new long[1])[0]++;
        }
    }

    private String protocol() {
        for (int i = 0; i < protocolTokens.length; i++) {
            if (parser.protocolEquals(protocolTokens[i])) {
                return protocolNames[i];
            }
        }
        byte[] token = parser.protocolToken();
        String name = AccessLogFormat.unescape(new String(token, StandardCharsets.ISO_8859_1));
        protocolTokens = Arrays.copyOf(protocolTokens, protocolTokens.length + 1);
        protocolTokens[protocolTokens.length - 1] = token;
        protocolNames = Arrays.copyOf(protocolNames, protocolNames.length + 1);
        protocolNames[protocolNames.length - 1] = name;
        return name;
    }
}
