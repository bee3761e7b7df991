package dev.muxgate.httpcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AccessLogEscapingTest {

    private static String escape(String value) {
        return AccessLogFormat.escape(value);
    }

    @Test
    void leavesPrintableAsciiAlone() {
        assertEquals("/a/b?c=d&e=%20f;g~h", escape("/a/b?c=d&e=%20f;g~h"));
        assertEquals("a-b", escape("a-b"));
        assertEquals("a#b", escape("a#b"));
        assertEquals("--", escape("--"));
    }

    @Test
    void escapesLineBreaksAndControlBytes() {
        assertEquals("a\\x0D\\x0Ab", escape("a\r\nb"));
        assertEquals("\\x00", escape("\0"));
        assertEquals("\\x09\\x7F", escape("\t\u007f"));
    }

    @Test
    void escapesSpaceQuoteAndBackslash() {
        assertEquals("GET\\x20/x\\x20HTTP/1.1", escape("GET /x HTTP/1.1"));
        assertEquals("\\x22quoted\\x22", escape("\"quoted\""));
        assertEquals("C:\\x5Cdir", escape("C:\\dir"));
    }

    @Test
    void escapesNonAsciiAsUtf8Bytes() {
        assertEquals("caf\\xC3\\xA9", escape("café"));
        assertEquals("\\xE2\\x82\\xAC", escape("€"));
        assertEquals("\\xF0\\x9F\\x98\\x80", escape("\uD83D\uDE00"));
        assertEquals("\\xC2\\x85", escape("\u0085"));
        assertEquals("\\xE2\\x80\\xA8", escape("\u2028"));
    }

    @Test
    void writesALoneSurrogateAsTheReplacementCharacter() {
        assertEquals("a\\xEF\\xBF\\xBDb", escape("a\uD800b"));
        assertEquals("\\xEF\\xBF\\xBD", escape("\uDC00"));
    }

    @Test
    void keepsADashFromARequestApartFromUnset() {
        assertEquals("\\x2D", escape("-"));
        assertEquals("-", escape(null));
        assertEquals("-", escape(""));
        assertEquals("-", AccessLogFormat.parse("%<cquc>").format(new TransactionRecord()));
        assertEquals("\\x2D", AccessLogFormat.parse("%<cquc>").format(new TransactionRecord().url("-")));
    }

    @Test
    void escapesALeadingHashSoNoValueStartsANoteLine() {
        assertEquals("\\x23\\x20muxgate:", escape("# muxgate:"));
    }

    @Test
    void unescapesBackToTheValue() {
        assertNull(AccessLogFormat.unescape("-"));
        assertEquals("-", AccessLogFormat.unescape("\\x2D"));
        assertEquals("café", AccessLogFormat.unescape("caf\\xc3\\xa9"));
        assertEquals("plain", AccessLogFormat.unescape("plain"));
        assertEquals("raw é kept", AccessLogFormat.unescape("raw\\x20é\\x20kept"));
    }

    @Test
    void roundTripsAnyText() {
        Random random = new Random(20241125);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = 1 + random.nextInt(12);
            for (int j = 0; j < length; j++) {
                switch (random.nextInt(4)) {
                    case 0 -> value.append((char) random.nextInt(0x80));
                    case 1 -> value.append("-#\\\"% \r\n".charAt(random.nextInt(8)));
                    case 2 -> value.append((char) (0x80 + random.nextInt(0xD800 - 0x80)));
                    default -> value.appendCodePoint(0x10000 + random.nextInt(0x100000));
                }
            }
            String original = value.toString();
            String token = escape(original);
            for (int k = 0; k < token.length(); k++) {
                char c = token.charAt(k);
                assertTrue(c > 0x20 && c < 0x7F && c != '"', () -> "token " + token + " of " + original);
            }
            assertNotEquals("-", token);
            assertTrue(token.charAt(0) != '#', token);
            assertEquals(original, AccessLogFormat.unescape(token), token);
        }
    }

    @Test
    void rejectsBadEscapes() {
        for (String bad : List.of("\\", "a\\", "\\x", "\\x4", "\\xZZ", "\\y41", "\\x4G", "\\x\u0663\u0663", "\\xC3",
                "\\xFF", "\\xED\\xA0\\x80")) {
            assertThrows(IllegalArgumentException.class, () -> AccessLogFormat.unescape(bad), bad);
        }
    }
}
