package dev.muxgate.logtools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the {@code summary} report: a protocol's sessions, streams (transactions), streams
 * per session (mean and nearest-rank percentiles), bytes, status classes and errors. The
 * {@code untagged} row gathers transactions with no protocol tag or id 0; they belong to no known
 * session, so its session count and per-session figures are 0.
 */
record ProtocolSummary(String protocol, long sessions, long streams, double mean, long p50, long p90, long p99,
                       long max, long bytes, long[] status, long errors) {

    /** The rows for a tally: protocols by name, {@code untagged} last. */
    static List<ProtocolSummary> of(LogTally tally) {
        Map<String, List<SessionTally>> byProtocol = new TreeMap<>();
        tally.sessions.forEach((key, session) -> {
            if (!key.untagged()) {
                byProtocol.computeIfAbsent(key.protocol(), p -> new ArrayList<>()).add(session);
            }
        });
        List<ProtocolSummary> rows = new ArrayList<>();
        byProtocol.forEach((protocol, sessions) -> rows.add(row(protocol, sessions, false)));
        SessionTally untagged = tally.sessions.get(SessionKey.UNTAGGED);
        if (untagged != null) {
            rows.add(row(SessionKey.UNTAGGED_PROTOCOL, List.of(untagged), true));
        }
        return rows;
    }

    private static ProtocolSummary row(String protocol, List<SessionTally> sessions, boolean untagged) {
        long[] perSession = new long[sessions.size()];
        long streams = 0;
        long bytes = 0;
        long errors = 0;
        long[] status = new long[4];
        for (int i = 0; i < perSession.length; i++) {
            SessionTally s = sessions.get(i);
            perSession[i] = s.streams;
            streams += s.streams;
            bytes += s.bytes;
            errors += s.errors();
            for (int c = 0; c < 4; c++) {
                status[c] += s.status(c + 2);
            }
        }
        if (untagged) {
            return new ProtocolSummary(protocol, 0, streams, 0, 0, 0, 0, 0, bytes, status, errors);
        }
        Arrays.sort(perSession);
        return new ProtocolSummary(protocol, perSession.length, streams, (double) streams / perSession.length,
                percentile(perSession, 50), percentile(perSession, 90), percentile(perSession, 99),
                perSession[perSession.length - 1], bytes, status, errors);
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
