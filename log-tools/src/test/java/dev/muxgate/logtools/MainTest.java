package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void usageErrorsExitTwoWithOneSentenceAndNoStackTrace() {
        for (String[] args : new String[][] {{}, {"summary"}, {"summary", "--output", "xml", "x"},
                {"summary", dir.resolve("missing.log").toString()}, {"bogus"},
                {"summary", "--format", "%<nope>", "-"}, {"correlate", "x.log"}}) {
            LogFixtures.Run run = LogFixtures.run(args);
            assertEquals(2, run.status(), String.join(" ", args) + ": " + run.err());
            assertEquals(1, run.err().strip().lines().count(), run.err());
            assertTrue(run.err().startsWith("muxgate-logs"), run.err());
            assertFalse(run.err().contains("Exception") || run.err().contains("\tat "), run.err());
        }
    }

    @Test
    void theSparkEngineWithoutSparkOnTheClassPathIsAUsageErrorThatSaysWhatIsMissing() throws IOException {
        // log-tools' own tests run without log-tools-spark and Spark, as the plain CLI does.
        Path log = write("access.log", ReportsTest.smallLog());
        LogFixtures.Run run = LogFixtures.run("summary", "--engine", "spark", log.toString());
        assertEquals(2, run.status(), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("log-tools-spark and Apache Spark on the class path"), run.err());
        LogFixtures.Run master = LogFixtures.run("summary", "--master", "local[1]", log.toString());
        assertEquals(2, master.status(), master.err());
        assertTrue(master.err().contains("--master is for --engine spark"), master.err());
    }

    @Test
    void helpWorksOnEveryCommand() {
        for (String command : new String[] {"summary", "sessions", "correlate", "timeline"}) {
            LogFixtures.Run run = LogFixtures.run(command, "--help");
            assertEquals(0, run.status());
            assertTrue(run.out().contains("Usage: muxgate-logs " + command), run.out());
        }
        assertTrue(LogFixtures.run("--help").out().contains("summary"));
    }

    @Test
    void summaryJsonHasOneObjectPerProtocolWithTheDocumentedKeys() throws IOException {
        Path log = write("access.log", ReportsTest.smallLog());
        LogFixtures.Run run = LogFixtures.run("summary", "--output", "json", log.toString());
        assertEquals(0, run.status(), run.err());
        String json = run.out().strip();
        assertTrue(json.startsWith("[") && json.endsWith("]"), json);
        assertEquals(3, json.lines().filter(l -> l.contains("\"protocol\"")).count(), json);
        assertTrue(json.contains("{\"protocol\": \"h2\", \"sessions\": 3, \"streams\": 10, \"bytes\": 127, "
                + "\"streams_per_session\": {\"mean\": 3.333, \"p50\": 2, \"p90\": 7, \"p99\": 7, \"max\": 7}, "
                + "\"status\": {\"2xx\": 7, \"3xx\": 2, \"4xx\": 0, \"5xx\": 1}, \"errors\": 1}"), json);
    }

    @Test
    void malformedLinesWarnButTheReportIsWrittenFromFilesGzipAndStdin() throws IOException {
        String[] lines = ReportsTest.smallLog().split("\n");
        Path plain = write("access.log", String.join("\n", java.util.Arrays.copyOfRange(lines, 0, 5)) + "\nnot a line\n");
        Path gz = LogFixtures.gzip(dir.resolve("access.log.1.gz"),
                String.join("\n", java.util.Arrays.copyOfRange(lines, 5, 10)) + "\n");
        String stdin = String.join("\n", java.util.Arrays.copyOfRange(lines, 10, lines.length)) + "\n";
        LogFixtures.Run run = LogFixtures.runWithStdin(stdin, "summary", "--output", "csv",
                plain.toString(), gz.toString(), "-");
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("1 malformed line"), run.err());
        assertTrue(run.err().contains("access.log:6: "), run.err());
        assertTrue(run.out().contains("h2,3,10,3.333,2,7,7,7,127,7,2,0,1,1"), run.out());
    }

    @Test
    void correlateCountsAKeptAliveHttp11ConnectionAndAStreamlessSessionAsAgreeing() throws IOException {
        Path access = write("access-h1.log", LogFixtures.access(1000, "10.0.0.1", "http/1.1", 5, 200, 10) + "\n"
                + LogFixtures.access(1001, "10.0.0.1", "http/1.1", 5, 200, 10) + "\n"
                + LogFixtures.access(1002, "10.0.0.1", "http/1.1", 5, 404, 10) + "\n");
        Path sessions = write("session-h1.log", LogFixtures.session(1003, 5, "http/1.1", 1) + "\n"
                + LogFixtures.session(1004, 6, "h2", 0) + "\n");
        LogFixtures.Run run = LogFixtures.run("correlate", "--sessions", sessions.toString(), access.toString());
        assertEquals(0, run.status(), run.out() + run.err());
    }

    @Test
    void correlateExitsZeroWhenTheLogsAgreeAndOneWhenTheyDoNot() throws IOException {
        Path access = write("access.log", ReportsTest.smallLog());
        Path agree = write("session.log", "# note\n" + LogFixtures.session(1000, 1, "h2", 1) + "\n"
                + LogFixtures.session(1000, 2, "h2", 2) + "\n" + LogFixtures.session(1000, 3, "h2", 7) + "\n"
                + LogFixtures.session(1000, 4, "spdy/3.1", 3) + "\n");
        LogFixtures.Run ok = LogFixtures.run("correlate", "--sessions", agree.toString(), access.toString());
        assertEquals(0, ok.status(), ok.out() + ok.err());
        assertTrue(ok.out().contains("agree"), ok.out());

        Path disagree = write("session-bad.log", LogFixtures.session(1000, 1, "h2", 1) + "\n"
                + LogFixtures.session(1000, 2, "h2", 5) + "\n" + LogFixtures.session(1000, 9, "h2", 1) + "\n"
                + LogFixtures.session(1000, 4, "spdy/3.1", 3) + "\n");
        LogFixtures.Run bad = LogFixtures.run("correlate", "--output", "json", "--sessions", disagree.toString(),
                access.toString());
        assertEquals(1, bad.status(), bad.out() + bad.err());
        assertTrue(bad.out().contains("\"agree\": false"), bad.out());
        assertTrue(bad.out().contains("{\"kind\": \"only_in_access_log\", \"protocol\": \"h2\", \"session\": 3, "
                + "\"access_streams\": 7, \"session_log_streams\": null}"), bad.out());
        assertTrue(bad.out().contains("{\"kind\": \"only_in_session_log\", \"protocol\": \"h2\", \"session\": 9"), bad.out());
        assertTrue(bad.out().contains("{\"kind\": \"stream_count_differs\", \"protocol\": \"h2\", \"session\": 2, "
                + "\"access_streams\": 2, \"session_log_streams\": 5}"), bad.out());
    }

    @Test
    void sessionsShowTheNodeFromTheTopBitsOfPiid() throws IOException {
        long onNode7 = (7L << 48) | 42;
        Path log = write("access-nodes.log", LogFixtures.access(1732550000123L, "203.0.113.7", "h2", onNode7, 200, 10) + "\n"
                + LogFixtures.access(1732550000124L, "203.0.113.8", "h2", 43, 200, 10) + "\n");
        LogFixtures.Run csv = LogFixtures.run("sessions", "--output", "csv", "--sort", "first", log.toString());
        assertEquals(0, csv.status(), csv.err());
        List<String> lines = csv.out().lines().toList();
        assertTrue(lines.get(0).startsWith("protocol,piid,node,client,"), lines.get(0));
        assertTrue(lines.get(1).startsWith("h2," + onNode7 + ",7,203.0.113.7,"), lines.get(1));
        assertTrue(lines.get(2).startsWith("h2,43,0,203.0.113.8,"), lines.get(2));
        LogFixtures.Run json = LogFixtures.run("sessions", "--output", "json", log.toString());
        assertTrue(json.out().contains("\"piid\": " + onNode7 + ", \"node\": 7,"), json.out());
    }

    @Test
    void sessionLogFieldsMatchTheGatewayWriterOrder() {
        assertEquals(java.util.List.of("time", "number", "protocol", "chi", "chp", "sni", "tlsv", "cipher",
                "ttms", "streams", "bytes_in", "bytes_out", "reason", "resumed", "node"), SessionLogLine.FIELDS);
    }

    @Test
    void sessionLinesWithAndWithoutTheResumedFieldAreRead() {
        String older = "1732550000.123 17 h2 203.0.113.7 50123 localhost TLSv1.3 TLS_AES_128_GCM_SHA256"
                + " 5321 100 12345 678901 closed";
        assertEquals(100, SessionLogLine.parse(older).streams());
        assertEquals(100, SessionLogLine.parse(older + " 1").streams());
        assertEquals(17, SessionLogLine.parse(older + " 0").number());
        assertEquals(17, SessionLogLine.parse(older + " 0 0").number());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SessionLogLine.parse(older + " 1 0 extra"));
    }
}
