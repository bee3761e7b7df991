package dev.muxgate.logtools;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
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
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16)) {
            String line;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.startsWith("#")) {
                    tally.notes++;
                    continue;
                }
                if (line.length() > AccessLogFold.MAX_LINE) {
                    tally.addMalformed(source, number, "is longer than " + AccessLogFold.MAX_LINE + " bytes");
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
}
