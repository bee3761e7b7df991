package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class SessionLogFormatTest {

    private static SessionRecord example() {
        return new SessionRecord(1732550000123L, 17, "h2", "203.0.113.7", 50123, "localhost", "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", 5321, 100, 12345, 678901, "closed", false);
    }

    private static SessionRecord withSni(String sni) {
        SessionRecord e = example();
        return new SessionRecord(e.endEpochMillis(), e.number(), e.protocol(), e.clientIp(), e.clientPort(), sni,
                e.tlsVersion(), e.tlsCipher(), e.durationMillis(), e.streams(), e.bytesIn(), e.bytesOut(),
                e.closeReason(), e.resumed());
    }

    @Test
    void printsTheFieldsInTheDocumentedOrder() {
        assertEquals("1732550000.123 17 h2 203.0.113.7 50123 localhost TLSv1.3 TLS_AES_128_GCM_SHA256"
                + " 5321 100 12345 678901 closed 0 0", SessionLogFormat.format(example()));
    }

    @Test
    void namesEveryFieldForTheLogTools() {
        assertEquals(List.of("time", "number", "protocol", "chi", "chp", "sni", "tlsv", "cipher",
                "ttms", "streams", "bytes_in", "bytes_out", "reason", "resumed", "node"), SessionLogFormat.FIELDS);
        assertEquals(SessionLogFormat.FIELDS.size(), SessionLogFormat.format(example()).split(" ").length);
    }

    @Test
    void unsetFieldsPrintAsADash() {
        SessionRecord failed = new SessionRecord(1000, 3, null, null, 0, null, null, null, 7, 0, 517, 0,
                "tls handshake failed", false);
        assertEquals("1.000 3 - - - - - - 7 0 517 0 tls\\x20handshake\\x20failed 0 0", SessionLogFormat.format(failed));
        assertEquals("0.005 3 - - - - - - 7 0 517 0 - 1 0", SessionLogFormat.format(new SessionRecord(
                5, 3, "", null, 0, "", null, null, 7, 0, 517, 0, null, true)));
    }

    @Test
    void anSniWithSpacesOrLineBreaksStaysOneTokenOnOneLine() {
        String hostile = "evil host\n1732550000.123 1 h2 6.6.6.6 1 forged\r\t\"\\";
        String line = SessionLogFormat.format(withSni(hostile));

        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\t") || line.contains("\""), line);
        String[] tokens = line.split(" ");
        assertEquals(SessionLogFormat.FIELDS.size(), tokens.length, line);
        int sni = SessionLogFormat.FIELDS.indexOf("sni");
        assertEquals(hostile, AccessLogFormat.unescape(tokens[sni]));
        assertEquals("TLSv1.3", tokens[sni + 1]);
        assertEquals("closed", tokens[SessionLogFormat.FIELDS.indexOf("reason")]);
        assertEquals("0", tokens[SessionLogFormat.FIELDS.indexOf("resumed")]);
    }

    @Test
    void nodeIsReadOffTheSessionNumbersTopBits() {
        long number = new SessionNumbers(513).next();
        SessionRecord e = example();
        String line = SessionLogFormat.format(new SessionRecord(e.endEpochMillis(), number, e.protocol(), e.clientIp(),
                e.clientPort(), e.sni(), e.tlsVersion(), e.tlsCipher(), e.durationMillis(), e.streams(), e.bytesIn(),
                e.bytesOut(), e.closeReason(), e.resumed()));
        String[] tokens = line.split(" ");
        assertEquals(Long.toString(number), tokens[SessionLogFormat.FIELDS.indexOf("number")]);
        assertEquals("513", tokens[SessionLogFormat.FIELDS.indexOf("node")]);
        assertEquals((513L << 48) | 1, number, "node id in bits 48..62, sequence below");
    }

    @Test
    void textThatLooksLikeANoteOrUnsetCannotPassForOne() {
        String dash = SessionLogFormat.format(withSni("-"));
        assertTrue(dash.contains(" \\x2D "), dash);
        assertEquals("-", AccessLogFormat.unescape("\\x2D"));
        SessionRecord e = example();
        String note = SessionLogFormat.format(new SessionRecord(e.endEpochMillis(), e.number(), "#h2", e.clientIp(),
                e.clientPort(), "#x", e.tlsVersion(), e.tlsCipher(), e.durationMillis(), e.streams(), e.bytesIn(),
                e.bytesOut(), e.closeReason(), e.resumed()));
        assertTrue(note.contains(" \\x23h2 ") && note.contains(" \\x23x "), note);
    }

    @Test
    void nonAsciiTextIsEscapedAsUtf8AndReadsBack() {
        String line = SessionLogFormat.format(withSni("bücher.example"));
        String token = line.split(" ")[SessionLogFormat.FIELDS.indexOf("sni")];
        assertEquals("b\\xC3\\xBCcher.example", token);
        assertEquals("bücher.example", AccessLogFormat.unescape(token));
    }

    @Test
    void everyTokenReadsBackToItsValue() {
        SessionRecord e = example();
        String[] t = SessionLogFormat.format(e).split(" ");
        assertEquals("1732550000.123", t[0]);
        assertEquals(e.number(), Long.parseLong(t[1]));
        assertEquals(e.protocol(), AccessLogFormat.unescape(t[2]));
        assertEquals(e.clientIp(), AccessLogFormat.unescape(t[3]));
        assertEquals(e.clientPort(), Integer.parseInt(t[4]));
        assertEquals(e.sni(), AccessLogFormat.unescape(t[5]));
        assertEquals(e.tlsVersion(), AccessLogFormat.unescape(t[6]));
        assertEquals(e.tlsCipher(), AccessLogFormat.unescape(t[7]));
        assertEquals(e.durationMillis(), Long.parseLong(t[8]));
        assertEquals(e.streams(), Long.parseLong(t[9]));
        assertEquals(e.bytesIn(), Long.parseLong(t[10]));
        assertEquals(e.bytesOut(), Long.parseLong(t[11]));
        assertEquals(e.closeReason(), AccessLogFormat.unescape(t[12]));
    }

    @Test
    void anIpv6ClientAddressIsOneToken() {
        SessionRecord e = example();
        String line = SessionLogFormat.format(new SessionRecord(e.endEpochMillis(), e.number(), e.protocol(),
                "fe80:0:0:0:0:0:0:1%eth0", 443, e.sni(), e.tlsVersion(), e.tlsCipher(), e.durationMillis(),
                e.streams(), e.bytesIn(), e.bytesOut(), e.closeReason(), e.resumed()));
        assertEquals("fe80:0:0:0:0:0:0:1%eth0", line.split(" ")[3]);
    }
}
