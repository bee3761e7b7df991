package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccessLineParserTest {

    private static String parse(AccessLineParser parser, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        return parser.parse(bytes, 0, bytes.length);
    }

    @Test
    void readsEveryFieldKindOfTheDefaultFormat() {
        AccessLineParser parser = AccessLineParser.compile(LogFixtures.DEFAULT);
        assertNull(parse(parser, "1732550000.123 51 203.0.113.7 h2 17 GET http://x/%20y 503 485 - internal:demo"));
        assertEquals(1732550000123L, parser.timeMillis());
        assertTrue(parser.hasTime());
        assertEquals("203.0.113.7", parser.client());
        assertTrue(parser.hasProtocol());
        assertTrue(parser.protocolEquals("h2".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(17, parser.sessionId());
        assertEquals(503, parser.status());
        assertEquals(485, parser.bytes());
    }

    @Test
    void unescapesEscapedTextValues() {
        AccessLineParser parser = AccessLineParser.compile(AccessLogFormat.parse("[%<chi>] %<pitag> \"%<piid>\""));
        String client = AccessLogFormat.escape("fe80::1 zone\u00e9");
        String tag = AccessLogFormat.escape("spdy/3.1 \"x\"");
        assertNull(parse(parser, "[" + client + "] " + tag + " \"9\""));
        assertEquals("fe80::1 zone\u00e9", parser.client());
        assertEquals("spdy/3.1 \"x\"", AccessLineParser.unescaped(parser.protocolToken(), 0, parser.protocolToken().length));
        assertEquals(9, parser.sessionId());
    }

    @Test
    void unsetTagIsNoProtocol() {
        AccessLineParser parser = AccessLineParser.compile(LogFixtures.DEFAULT);
        assertNull(parse(parser, LogFixtures.access(1000, "1.2.3.4", "-", 0, 200, 5)));
        assertFalse(parser.hasProtocol());
    }

    @Test
    void refusesLinesOfAnotherShape() {
        AccessLineParser parser = AccessLineParser.compile(LogFixtures.DEFAULT);
        assertNotNull(parse(parser, "garbage"));
        assertNotNull(parse(parser, LogFixtures.access(1000, "1.2.3.4", "h2", 1, 200, 5) + " extra"));
        assertNotNull(parse(parser, "1732550000.123 51 1.2.3.4 h2 x17 GET / 200 1 200 o"));
        assertNotNull(parse(parser, "1732550000 51 1.2.3.4 h2 17 GET / 200 1 200 o"));
        assertNotNull(parse(parser, "1732550000.123 51 1.2.3.4 h\\xZZ 17 GET / 200 1 200 o"));
        assertNotNull(parse(parser, "1732550000.123 51 1.2.3.4 h\u00e92 17 GET / 200 1 200 o"));
        assertNotNull(parse(parser, "1732550000.123 51 1.2.3.4 h2 17 GET  200 1 200 o"));
    }

    @Test
    void refusesFormatsItCannotSplitOrReport() {
        assertThrows(IllegalArgumentException.class,
                () -> AccessLineParser.compile(AccessLogFormat.parse("%<pitag>%<piid>")));
        assertThrows(IllegalArgumentException.class,
                () -> AccessLineParser.compile(AccessLogFormat.parse("%<chi> %<piid>")));
    }

    /** Formats that take every path: plain spaces, printable and multi-byte separators, a prefix and a suffix. */
    private static final String[] FORMATS = {
            "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn>",
            "[%<cqtq>] \"%<chi>\" %<pitag>/%<piid> %<pssc> %<psql>",
            "> %<pitag> | %<piid> | %<psql> %<pssc> <",
            "%<pitag>\t%<piid>\t%<cqtq>"};
    /** Bytes a mutation puts into a line: separators, escapes, digits, and bytes the writer never writes. */
    private static final byte[] NOISE = {' ', ' ', '\t', '\r', (byte) 0xFF, (byte) 0xC3, 0x7F, 0x00, '\\', '-', '.',
            '0', '7', '9', 'x', '"', '[', ']', '/', '|', '<', '>'};

    @Test
    void agreesWithTheByteAtATimeReadingOnRandomAndDamagedLines() {
        Random random = new Random(5);
        for (String text : FORMATS) {
            AccessLogFormat format = AccessLogFormat.parse(text);
            AccessLineParser parser = AccessLineParser.compile(format);
            ReferenceLineParser reference = ReferenceLineParser.compile(format);
            int wellFormed = 0;
            for (int n = 0; n < 20_000; n++) {
                byte[] line = damage(random, sample(random, text), random.nextInt(4));
                String expected = reference.parse(line, 0, line.length);
                wellFormed += expected == null ? 1 : 0;
                String where = text + " / " + AccessLogFormat.escape(new String(line, StandardCharsets.ISO_8859_1));
                // Alone, with its end known; then inside a buffer, ended by \n or \r\n, at an odd offset.
                assertEquals(expected, parser.parse(line, 0, line.length), where);
                assertSameValues(reference, parser, expected, where);
                for (String end : new String[] {"\n", "\r\n"}) {
                    byte[] junk = "1.5 2 junk\t".getBytes(StandardCharsets.ISO_8859_1);
                    int skip = random.nextInt(junk.length);
                    byte[] buf = concat(Arrays.copyOf(junk, skip), line, end.getBytes(StandardCharsets.ISO_8859_1), junk);
                    int newline = skip + line.length + end.length() - 1;
                    assertEquals(newline, parser.parseLine(buf, skip, buf.length, false), where);
                    // A \r the line ends with is, before a \n, the CR of a CRLF.
                    boolean crlf = end.equals("\n") && line.length > 0 && line[line.length - 1] == '\r';
                    String expectedHere = crlf ? reference.parse(line, 0, line.length - 1) : expected;
                    assertEquals(expectedHere, parser.problem(), where + end);
                    assertSameValues(reference, parser, expectedHere, where);
                    // Cut anywhere before its newline, the line is never judged: it waits for more bytes.
                    int cut = skip + random.nextInt(newline - skip + 1);
                    assertEquals(AccessLineParser.INCOMPLETE, parser.parseLine(buf, skip, cut, false), where + " cut at " + cut);
                }
            }
            assertTrue(wellFormed > 2_000 && wellFormed < 18_000, text + ": well-formed lines " + wellFormed);
        }
    }

    private static void assertSameValues(ReferenceLineParser reference, AccessLineParser parser, String problem, String where) {
        if (problem != null) {
            return;
        }
        assertEquals(reference.hasProtocol(), parser.hasProtocol(), where);
        assertEquals(new String(reference.protocolToken(), StandardCharsets.ISO_8859_1),
                new String(parser.protocolToken(), StandardCharsets.ISO_8859_1), where);
        assertEquals(reference.sessionId(), parser.sessionId(), where);
        assertEquals(reference.bytes(), parser.bytes(), where);
        assertEquals(reference.status(), parser.status(), where);
        assertEquals(reference.hasTime(), parser.hasTime(), where);
        assertEquals(reference.timeMillis(), parser.timeMillis(), where);
        assertEquals(reference.client(), parser.client(), where);
    }

    /** A well-formed line of {@code format} with values of every kind the writer produces. */
    private static byte[] sample(Random random, String format) {
        String[] values = {
                (1_700_000_000L + random.nextInt(100_000_000)) + "." + String.format("%03d", random.nextInt(1000)),
                Integer.toString(random.nextInt(5000)),
                random.nextInt(10) == 0 ? "-" : "10." + random.nextInt(256) + ".0." + random.nextInt(256),
                new String[] {"h2", "http/1.1", "spdy/3.1", "-", "h\\x20x"}[random.nextInt(5)],
                random.nextInt(10) == 0 ? "-" : Long.toString(random.nextLong() >>> (1 + random.nextInt(63))),
                "GET", "https://www.example.com/" + "a".repeat(random.nextInt(40)),
                random.nextInt(10) == 0 ? "-" : Integer.toString(random.nextInt(1200)),
                Long.toString(random.nextInt(Integer.MAX_VALUE) >>> random.nextInt(31)),
                "200", "origin-a"};
        String line = format;
        String[] names = {"cqtq", "ttms", "chi", "pitag", "piid", "cqhm", "cquc", "pssc", "psql", "sssc", "shn"};
        for (int i = 0; i < names.length; i++) {
            line = line.replace("%<" + names[i] + ">", values[i]);
        }
        return line.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** {@code times} random edits: a byte replaced, put in or taken out, or the line cut short. */
    private static byte[] damage(Random random, byte[] line, int times) {
        byte[] out = line;
        for (int t = 0; t < times && out.length > 0; t++) {
            int at = random.nextInt(out.length);
            byte b = NOISE[random.nextInt(NOISE.length)];
            out = switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] copy = out.clone();
                    copy[at] = b;
                    yield copy;
                }
                case 1 -> concat(Arrays.copyOf(out, at), new byte[] {b}, Arrays.copyOfRange(out, at, out.length));
                case 2 -> concat(Arrays.copyOf(out, at), Arrays.copyOfRange(out, at + 1, out.length));
                default -> Arrays.copyOf(out, at);
            };
        }
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
