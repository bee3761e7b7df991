package dev.muxgate.httpcore.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** JSON Lines spelling: every string valid JSON, pure ASCII, one line, whatever the client sent. */
class JsonTextTest {

    private static String json(String value) {
        StringBuilder out = new StringBuilder();
        JsonText.appendString(out, value);
        return out.toString();
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscaped() {
        assertEquals("\"a\\\"b\\\\c\"", json("a\"b\\c"));
        assertEquals("\"\\n\\r\\t\\u0000\\u0001\\u001f\\u007f\"", json("\n\r\t\u0000\u0001\u001f\u007f"));
        assertEquals("null", json(null));
        assertEquals("\"\"", json(""));
        assertEquals("\"-\"", json("-"));
    }

    @Test
    void everythingOutsideAsciiIsAUnicodeEscape() {
        // A client's raw byte 0xFF reaches the record as U+00FF (Netty reads heads as ISO-8859-1).
        assertEquals("\"\\u00ff\\u00e9\"", json("\u00ff\u00e9"));
        assertEquals("\"\\u2028\\u2029\"", json("\u2028\u2029"));
        assertEquals("\"\\ud83d\\ude00\"", json("\ud83d\ude00"));
    }

    @Test
    void aLoneSurrogateBecomesTheReplacementCharacter() {
        assertEquals("\"a\\ufffdb\\ufffd\"", json("a\ud800b\udc00"));
    }

    @Test
    void anAccessLineHasTheFormatsFieldsUnderTheirNamesAndNullsForUnset() {
        AccessLogConfig config = new AccessLogConfig(true, Path.of("x.log"),
                "%<cqtq> %<ttms> %<chi> %<pitag> %<piid> %<cqhm> %<cquc> %<pssc> %<psql> %<sssc> %<shn> %<crc>",
                0, Duration.ZERO, 0, 16, LogSyntax.JSON);
        TransactionRecord r = new TransactionRecord().startEpochMillis(1732550000123L).startNanos(0).endNanos(5_000_000)
                .clientIp("203.0.113.7").pluginTag("h2").pluginId(17).method("GET").url("/a b\"\u00ff").proxyStatus(502)
                .proxyBodyBytes(0).result(TransactionRecord.Result.ERR_CONNECT_FAIL);
        StringBuilder line = new StringBuilder();
        AccessLogs.formatter(config).formatTo(line, r);
        assertEquals("{\"cqtq\":1732550000.123,\"ttms\":5,\"chi\":\"203.0.113.7\",\"pitag\":\"h2\",\"piid\":17,"
                + "\"cqhm\":\"GET\",\"cquc\":\"/a b\\\"\\u00ff\",\"pssc\":502,\"psql\":0,\"sssc\":null,\"shn\":null,"
                + "\"crc\":\"ERR_CONNECT_FAIL\"}", line.toString());
    }
}
