package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.nio.charset.StandardCharsets;
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
}
