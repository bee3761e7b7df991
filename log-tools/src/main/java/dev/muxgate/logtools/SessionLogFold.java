package dev.muxgate.logtools;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;

/**
 * Folds a session log into a {@link LogTally}: one {@link SessionTally} per session line, whose
 * {@code streams} is the count the gateway wrote (not a count of lines), end time as both first
 * and last, and the client. Same bad-line handling as the access log: counted, first few kept.
 */
final class SessionLogFold {

    private SessionLogFold() {
    }

    static LogTally fold(String source, InputStream in) {
        LogTally tally = new LogTally();
        long number = 0;
        // ISO-8859-1 maps every byte to one char, so a stray non-UTF-8 byte is a bad line, not a crash.
        try {
            BoundedLines reader = new BoundedLines(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            String line;
            while ((line = reader.next()) != null) {
                number++;
                if (reader.tooLong) {
                    tally.addMalformed(source, number, "is longer than " + AccessLogFold.MAX_LINE + " bytes");
                    continue;
                }
                if (line.startsWith("#")) {
                    tally.notes++;
                    continue;
                }
                SessionLogLine session;
                try {
                    session = SessionLogLine.parse(line);
                } catch (IllegalArgumentException e) {
                    tally.addMalformed(source, number, e.getMessage());
                    continue;
                }
                tally.lines++;
                SessionTally t = new SessionTally();
                t.streams = session.streams();
                t.first = session.endMillis();
                t.last = session.endMillis();
                t.client = session.client();
                tally.sessions.merge(session.key(), t, (a, b) -> {
                    a.merge(b);
                    return a;
                });
            }
        } catch (EOFException e) {
            tally.addReadError(source, number, "ends early (truncated gzip?)", null);
        } catch (IOException e) {
            tally.addReadError(source, number, "read failed", e.getMessage());
        }
        return tally;
    }

    /**
     * The lines of a reader, split as {@code BufferedReader.readLine} splits them (at {@code \n},
     * {@code \r} or {@code \r\n}), except that a line longer than {@link AccessLogFold#MAX_LINE}
     * is dropped as it is read instead of being held whole: memory stays bounded by the limit.
     */
    private static final class BoundedLines {
        private final Reader in;
        private final char[] buf = new char[1 << 16];
        private int pos;
        private int limit;
        /** The last line ended with {@code \r}: a {@code \n} right after it belongs to it. */
        private boolean skipNewline;
        /** The line {@link #next} returned last was too long (and is returned empty). */
        boolean tooLong;

        BoundedLines(Reader in) {
            this.in = in;
        }

        /** The next line without its terminator, or null at the end. */
        String next() throws IOException {
            StringBuilder line = new StringBuilder();
            boolean started = false;
            tooLong = false;
            while (true) {
                if (pos == limit) {
                    int n = in.read(buf, 0, buf.length);
                    if (n <= 0) {
                        pos = limit = 0;
                        return started ? line.toString() : null;
                    }
                    pos = 0;
                    limit = n;
                }
                if (skipNewline) {
                    skipNewline = false;
                    if (buf[pos] == '\n') {
                        pos++;
                        continue;
                    }
                }
                started = true;
                int start = pos;
                while (pos < limit && buf[pos] != '\n' && buf[pos] != '\r') {
                    pos++;
                }
                if (!tooLong && line.length() + (pos - start) > AccessLogFold.MAX_LINE) {
                    tooLong = true;
                    line.setLength(0);
                } else if (!tooLong) {
                    line.append(buf, start, pos - start);
                }
                if (pos < limit) {
                    skipNewline = buf[pos] == '\r';
                    pos++;
                    return line.toString();
                }
            }
        }
    }
}
