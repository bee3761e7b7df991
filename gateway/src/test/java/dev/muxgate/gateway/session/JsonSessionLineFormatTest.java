package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.LogSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The session log as JSON Lines: the text line's field names, JSON types, escaped client text. */
class JsonSessionLineFormatTest {

    @TempDir
    Path dir;

    private static String line(SessionRecord r) {
        StringBuilder out = new StringBuilder();
        JsonSessionLineFormat.formatTo(out, r);
        return out.toString();
    }

    @Test
    void aSessionIsOneObjectWithTheTextFieldsNames() {
        SessionRecord r = new SessionRecord(1732550000123L, 17, "h2", "203.0.113.7", 50123, "ex\"a\u00ffmple\n",
                "TLSv1.3", "TLS_AES_128_GCM_SHA256", 5321, 100, 12345, 678901, "closed", true);
        assertEquals("{\"time\":1732550000.123,\"number\":17,\"protocol\":\"h2\",\"chi\":\"203.0.113.7\",\"chp\":50123,"
                + "\"sni\":\"ex\\\"a\\u00ffmple\\n\",\"tlsv\":\"TLSv1.3\",\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"ttms\":5321,"
                + "\"streams\":100,\"bytes_in\":12345,\"bytes_out\":678901,\"reason\":\"closed\",\"resumed\":1}", line(r));
    }

    @Test
    void unsetTextAndAnUnknownPortAreNull() {
        SessionRecord r = new SessionRecord(1000, 3, null, null, 0, "", null, null, 7, 0, 517, 0,
                "tls handshake failed", false);
        String json = line(r);
        assertTrue(json.contains("\"protocol\":null,\"chi\":null,\"chp\":null,\"sni\":null,"), json);
        assertTrue(json.endsWith("\"resumed\":0}"), json);
    }

    @Test
    void theSyntaxCanChangeWhileTheLogRunsAndEachLineKeepsItsOwn() throws Exception {
        Path file = dir.resolve("session.log");
        SessionLog log = SessionLog.open(new SessionLogConfig(true, file, 0, Duration.ZERO, 0, 64));
        SessionRecord r = new SessionRecord(1000, 3, "h2", "192.0.2.1", 1, null, null, null, 7, 1, 2, 3, "closed", false);
        log.log(r);
        log.syntax(LogSyntax.JSON);
        log.log(r);
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertEquals(List.of(SessionLogFormat.format(r), line(r)), lines);
    }
}
