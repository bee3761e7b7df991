package dev.muxgate.logtools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The join of the access log with the session log on (protocol, session number): sessions with
 * streams in the access log but no session line, session lines with no streams, and sessions
 * whose counts differ (the session line's {@code streams} against the access log's lines), with
 * per-protocol totals. Untagged access log lines take no part: they name no session.
 *
 * <p>Counts are compared only where a stream is one transaction (h2, spdy). An {@code http/1.1}
 * session is one plugin connection that carries any number of kept-alive transactions, so there
 * the two logs agree when the session has its line and at least one transaction. A session that
 * opened no stream (a client that connected and left) has a session line and, rightly, no access
 * line: that is agreement too.
 */
final class Correlation {

    /** One session the two logs disagree on; a count is -1 where that log has no such session. */
    record Disagreement(String kind, SessionKey key, long accessStreams, long sessionLogStreams) {
    }

    /** Per protocol: sessions and streams as each log counts them, and how many disagree. */
    static final class Totals {
        long accessSessions;
        long accessStreams;
        long logSessions;
        long logStreams;
        long matched;
        long onlyInAccess;
        long onlyInSessionLog;
        long mismatched;
    }

    final Map<String, Totals> totals = new TreeMap<>();
    final List<Disagreement> disagreements = new ArrayList<>();

    static Correlation of(LogTally access, LogTally sessionLog) {
        Correlation c = new Correlation();
        access.sessions.forEach((key, tally) -> {
            if (key.untagged()) {
                return;
            }
            Totals t = c.totals(key.protocol());
            t.accessSessions++;
            t.accessStreams += tally.streams;
            SessionTally logged = sessionLog.sessions.get(key);
            if (logged == null) {
                t.onlyInAccess++;
                c.disagreements.add(new Disagreement("only_in_access_log", key, tally.streams, -1));
            } else if (oneConnectionManyTransactions(key.protocol())
                    ? logged.streams < 1 : logged.streams != tally.streams) {
                t.mismatched++;
                c.disagreements.add(new Disagreement("stream_count_differs", key, tally.streams, logged.streams));
            } else {
                t.matched++;
            }
        });
        sessionLog.sessions.forEach((key, logged) -> {
            Totals t = c.totals(key.protocol());
            t.logSessions++;
            t.logStreams += logged.streams;
            if (!access.sessions.containsKey(key) && logged.streams == 0) {
                t.matched++;
            } else if (!access.sessions.containsKey(key)) {
                t.onlyInSessionLog++;
                c.disagreements.add(new Disagreement("only_in_session_log", key, -1, logged.streams));
            }
        });
        c.disagreements.sort(Comparator.comparing(Disagreement::kind)
                .thenComparing(d -> d.key().protocol()).thenComparingLong(d -> d.key().id()));
        return c;
    }

    private static boolean oneConnectionManyTransactions(String protocol) {
        return "http/1.1".equals(protocol);
    }

    private Totals totals(String protocol) {
        return totals.computeIfAbsent(protocol, p -> new Totals());
    }

    boolean agree() {
        return disagreements.isEmpty();
    }
}
