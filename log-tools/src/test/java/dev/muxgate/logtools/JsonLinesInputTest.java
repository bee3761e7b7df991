package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.log.AccessLogFormat;
import dev.muxgate.httpcore.log.JsonText;
import dev.muxgate.httpcore.log.LogField;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * muxgate-logs reads the gateway's JSON Lines logs ({@code syntax: json}) to the same reports as
 * the text logs of the same records: files, gzip and stdin; malformed JSON is counted with its line.
 */
class JsonLinesInputTest {

    private static final List<String> ACCESS_FIELDS = List.of(
            "cqtq", "ttms", "chi", "pitag", "piid", "cqhm", "cquc", "pssc", "psql", "sssc", "shn");

    @TempDir
    Path dir;

    /** A text line of the default format as the gateway's JSON writer spells the same record. */
    static String accessJson(String textLine) {
        String[] tokens = textLine.split(" ");
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < ACCESS_FIELDS.size(); i++) {
            String name = ACCESS_FIELDS.get(i);
            if (i > 0) {
                json.append(',');
            }
            JsonText.appendName(json, name);
            LogField field = LogField.fromAtsName(name).orElseThrow();
            if (field.kind() == LogField.Kind.TEXT) {
                JsonText.appendString(json, AccessLogFormat.unescape(tokens[i]));
            } else {
                json.append(tokens[i].equals("-") ? "null" : tokens[i]);
            }
        }
        return json.append('}').toString();
    }

    static String sessionJson(String textLine) {
        String[] tokens = textLine.split(" ");
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < tokens.length; i++) {
            String name = SessionLogLine.FIELDS.get(i);
            if (i > 0) {
                json.append(',');
            }
            JsonText.appendName(json, name);
            if (List.of("protocol", "chi", "sni", "tlsv", "cipher", "reason").contains(name)) {
                JsonText.appendString(json, AccessLogFormat.unescape(tokens[i]));
            } else {
                json.append(tokens[i].equals("-") ? "null" : tokens[i]);
            }
        }
        return json.append('}').toString();
    }

    private static String toJson(String text, java.util.function.UnaryOperator<String> line) {
        StringBuilder out = new StringBuilder();
        text.lines().forEach(l -> out.append(line.apply(l)).append('\n'));
        return out.toString();
    }

    @Test
    void aJsonAccessLogGivesTheSameSummaryAsTheTextLogOfTheSameRecords() throws IOException {
        String text = ReportsTest.smallLog();
        Path textLog = Files.writeString(dir.resolve("access.log"), text);
        String[] json = toJson(text, JsonLinesInputTest::accessJson).split("\n");
        Path jsonLog = Files.writeString(dir.resolve("access.jsonl"), String.join("\n", List.of(json).subList(0, 5)) + "\n");
        Path gz = LogFixtures.gzip(dir.resolve("access.jsonl.1.gz"), String.join("\n", List.of(json).subList(5, 10)) + "\n");
        String stdin = String.join("\n", List.of(json).subList(10, json.length)) + "\n";

        LogFixtures.Run fromText = LogFixtures.run("summary", "--output", "csv", textLog.toString());
        LogFixtures.Run fromJson = LogFixtures.runWithStdin(stdin, "summary", "--output", "csv",
                jsonLog.toString(), gz.toString(), "-");
        assertEquals(0, fromJson.status(), fromJson.err());
        assertEquals(fromText.out(), fromJson.out());
        assertTrue(fromJson.out().contains("h2,3,10,3.333,2,7,7,7,127,7,2,0,1,1"), fromJson.out());
        assertEquals("", fromJson.err());
    }

    @Test
    void aLineThatIsNotJsonIsCountedMalformedWithItsLineNumber() throws IOException {
        String[] json = toJson(ReportsTest.smallLog(), JsonLinesInputTest::accessJson).split("\n");
        Path log = Files.writeString(dir.resolve("access.jsonl"), json[0] + "\n{\"cqtq\": 1, \"pitag\": [1]}\n"
                + json[1] + "\n{\"cqtq\":\n" + json[2] + "\n");
        LogFixtures.Run run = LogFixtures.run("summary", "--output", "csv", log.toString());
        assertEquals(0, run.status(), run.err());
        assertTrue(run.err().contains("2 malformed lines"), run.err());
        assertTrue(run.err().contains("access.jsonl:2: "), run.err());
        assertTrue(run.err().contains("access.jsonl:4: "), run.err());
    }

    @Test
    void correlateReadsAJsonSessionLogAsItsTextTwin() throws IOException {
        String access = LogFixtures.access(1000, "10.0.0.1", "h2", 5, 200, 10) + "\n"
                + LogFixtures.access(1001, "10.0.0.1", "h2", 5, 200, 10) + "\n";
        Path accessLog = Files.writeString(dir.resolve("access.log"), access);
        String sessions = LogFixtures.session(1003, 5, "h2", 2) + " 0\n" + LogFixtures.session(1004, 6, "h2", 0) + "\n";
        Path textSessions = Files.writeString(dir.resolve("session.log"), sessions);
        Path jsonSessions = Files.writeString(dir.resolve("session.jsonl"), toJson(sessions, JsonLinesInputTest::sessionJson));
        LogFixtures.Run fromText = LogFixtures.run("correlate", "--sessions", textSessions.toString(), accessLog.toString());
        LogFixtures.Run fromJson = LogFixtures.run("correlate", "--sessions", jsonSessions.toString(), accessLog.toString());
        assertEquals(fromText.status(), fromJson.status(), fromJson.err());
        assertEquals(fromText.out(), fromJson.out());
        assertEquals(0, fromJson.status(), fromJson.out() + fromJson.err());
    }

    @Test
    void textWithEscapesAndBytesThatWereNotUtf8ComesBackAsTheTextWriterSpellsIt() {
        AccessLogFormat format = AccessLogFormat.parse(AccessLogConfig.DEFAULT_FORMAT);
        String line = JsonLinesInput.accessLine(format, FlatJson.parse(
                "{\"cqtq\":1732550000.1,\"ttms\":5,\"chi\":\"203.0.113.7\",\"pitag\":\"h2\",\"piid\":17,"
                        + "\"cqhm\":\"GET\",\"cquc\":\"/a b\\\"\\u00ff\\n\",\"pssc\":200,\"psql\":3,\"sssc\":null,\"shn\":null}"));
        assertEquals("1732550000.100 5 203.0.113.7 h2 17 GET /a\\x20b\\x22\\xC3\\xBF\\x0A 200 3 - -", line);
    }

    @Test
    void flatJsonKeepsNumbersExactAndRefusesNesting() {
        Map<String, Object> o = FlatJson.parse("{ \"a\" : 9007199254740993 , \"b\":\"\\ud83d\\ude00\\/\", \"c\":true}");
        assertEquals(new BigDecimal("9007199254740993"), o.get("a"));
        assertEquals("\ud83d\ude00/", o.get("b"));
        assertEquals(Boolean.TRUE, o.get("c"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":{}}"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> FlatJson.parse("{\"a\":\"\u0001\"}"));
    }
}
