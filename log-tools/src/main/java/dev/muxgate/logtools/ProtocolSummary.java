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

    /**
     * The rows for a tally: protocols by name, {@code untagged} last. Streams, bytes, statuses and
     * errors come from the protocol's line totals, sessions and streams per session from its sessions.
     */
    static List<ProtocolSummary> of(LogTally tally) {
        Map<String, List<SessionTally>> byProtocol = new TreeMap<>();
        tally.protocols.keySet().forEach(protocol -> byProtocol.put(protocol, new ArrayList<>()));
        tally.sessions.forEach((key, session) -> {
            if (!key.untagged()) {
                byProtocol.computeIfAbsent(key.protocol(), p -> new ArrayList<>()).add(session);
            }
        });
        List<ProtocolSummary> rows = new ArrayList<>();
        byProtocol.forEach((protocol, sessions) ->
                rows.add(row(protocol, tally.protocols.getOrDefault(protocol, new SessionTally()), sessions)));
        SessionTally untagged = tally.sessions.get(SessionKey.UNTAGGED);
        if (untagged != null) {
            rows.add(row(SessionKey.UNTAGGED_PROTOCOL, untagged, List.of()));
        }
        return rows;
    }

    /** {@code lines}: every line of the row added up; {@code sessions}: its sessions (none for untagged). */
    private static ProtocolSummary row(String protocol, SessionTally lines, List<SessionTally> sessions) {
        long[] status = new long[4];
        for (int c = 0; c < 4; c++) {
            status[c] = lines.status(c + 2);
        }
        if (sessions.isEmpty()) {
            return new ProtocolSummary(protocol, 0, lines.streams, 0, 0, 0, 0, 0, lines.bytes, status, lines.errors());
        }
        long[] perSession = new long[sessions.size()];
        for (int i = 0; i < perSession.length; i++) {
            perSession[i] = sessions.get(i).streams;
        }
        Arrays.sort(perSession);
        return new ProtocolSummary(protocol, perSession.length, lines.streams, (double) lines.streams / perSession.length,
                percentile(perSession, 50), percentile(perSession, 90), percentile(perSession, 99),
                perSession[perSession.length - 1], lines.bytes, status, lines.errors());
    }

    /** Nearest rank: the smallest value with at least p% of the values at or below it. */
    static long percentile(long[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
