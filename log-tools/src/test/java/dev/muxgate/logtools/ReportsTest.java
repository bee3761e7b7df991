package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {

    /** h2 sessions of 1, 2 and 7 streams, a spdy/3.1 session of 3, two untagged lines. */
    static String smallLog() {
        StringBuilder log = new StringBuilder();
        log.append(LogFixtures.access(60_000, "10.0.0.1", "h2", 1, 200, 100)).append('\n');
        for (int i = 0; i < 2; i++) {
            log.append(LogFixtures.access(61_000 + i, "10.0.0.2", "h2", 2, 301, 10)).append('\n');
        }
        for (int i = 0; i < 7; i++) {
            log.append(LogFixtures.access(120_000 + i, "10.0.0.3", "h2", 3, i == 0 ? 503 : 200, 1)).append('\n');
        }
        for (int i = 0; i < 3; i++) {
            log.append(LogFixtures.access(180_000 + i, "10.0.0.4", "spdy/3.1", 4, i == 0 ? 0 : 404, 5)).append('\n');
        }
        log.append(LogFixtures.access(60_500, "10.0.0.5", "-", 0, 200, 1000)).append('\n');
        log.append(LogFixtures.access(60_600, "10.0.0.5", "-", 0, 200, 1000)).append('\n');
        return log.toString();
    }

    @Test
    void summaryCountsSessionsStreamsPercentilesAndStatus() {
        List<ProtocolSummary> rows = ProtocolSummary.of(LogFixtures.fold(smallLog()));
        assertEquals(List.of("h2", "spdy/3.1", "untagged"), rows.stream().map(ProtocolSummary::protocol).toList());
        ProtocolSummary h2 = rows.get(0);
        assertEquals(3, h2.sessions());
        assertEquals(10, h2.streams());
        assertEquals(10 / 3.0, h2.mean(), 1e-9);
        assertEquals(2, h2.p50());
        assertEquals(7, h2.p90());
        assertEquals(7, h2.max());
        assertEquals(100 + 20 + 7, h2.bytes());
        assertEquals(List.of(7L, 2L, 0L, 1L), List.of(h2.status()[0], h2.status()[1], h2.status()[2], h2.status()[3]));
        assertEquals(1, h2.errors());
        ProtocolSummary spdy = rows.get(1);
        assertEquals(1, spdy.sessions());
        assertEquals(2, spdy.status()[2]);
        assertEquals(1, spdy.errors()); // status 0
        ProtocolSummary untagged = rows.get(2);
        assertEquals(0, untagged.sessions());
        assertEquals(2, untagged.streams());
        assertEquals(2000, untagged.bytes());
    }

    @Test
    void sessionsSortAndTop() {
        LogTally tally = LogFixtures.fold(smallLog());
        var byStreams = SessionsCommand.rows(tally, SessionsCommand.Sort.streams, 2);
        assertEquals(List.of(3L, 4L), byStreams.stream().map(e -> e.getKey().id()).toList());
        var byFirst = SessionsCommand.rows(tally, SessionsCommand.Sort.first, 0);
        assertEquals(List.of(1L, 2L, 3L, 4L), byFirst.stream().map(e -> e.getKey().id()).toList());
        assertEquals("10.0.0.3", byStreams.get(0).getValue().client);
        assertEquals(120_000, byStreams.get(0).getValue().first);
        assertEquals(120_006, byStreams.get(0).getValue().last);
    }

    @Test
    void timelineCountsActiveSessionsAndStreamsPerMinute() {
        var points = TimelineCommand.points(LogFixtures.fold(smallLog()));
        assertTrue(points.contains(new TimelineCommand.Point(1, "h2", 2, 3)), points.toString());
        assertTrue(points.contains(new TimelineCommand.Point(2, "h2", 1, 7)), points.toString());
        assertTrue(points.contains(new TimelineCommand.Point(3, "spdy/3.1", 1, 3)), points.toString());
    }
}
