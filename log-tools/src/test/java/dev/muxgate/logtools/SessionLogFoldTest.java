package dev.muxgate.logtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SessionLogFoldTest {

    private static LogTally fold(String text) {
        return SessionLogFold.fold("session.log", new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aHugeLineIsMalformedWithoutBeingHeldAndTheLinesAfterItAreRead() {
        String text = LogFixtures.session(1000, 1, "h2", 3) + "\r\n"
                + "x".repeat(AccessLogFold.MAX_LINE * 2 + 7) + "\n"
                + "# note\r"
                + LogFixtures.session(1000, 2, "h2", 5) + "\n"
                + LogFixtures.session(1000, 3, "spdy/3.1", 1); // no final newline
        LogTally tally = fold(text);
        assertEquals(3, tally.lines);
        assertEquals(1, tally.notes);
        assertEquals(1, tally.malformed);
        assertEquals(2, tally.samples.get(0).line());
        assertTrue(tally.samples.get(0).reason().contains("longer than"), tally.samples.toString());
        assertEquals(5, tally.sessions.get(new SessionKey("h2", 2)).streams);
        assertEquals(1, tally.sessions.get(new SessionKey("spdy/3.1", 3)).streams);
    }

    @Test
    void linesAreSplitAsReadLineSplitsThem() throws IOException {
        Random random = new Random(13);
        char[] alphabet = {'#', 'a', 'b', '\r', '\n'};
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(alphabet[random.nextInt(alphabet.length)]);
            }
            long lines = 0;
            long notes = 0;
            BufferedReader reader = new BufferedReader(new StringReader(text.toString()));
            for (String line; (line = reader.readLine()) != null; ) {
                lines++;
                notes += line.startsWith("#") ? 1 : 0;
            }
            LogTally tally = fold(text.toString());
            String where = text.toString().replace("\r", "\\r").replace("\n", "\\n");
            assertEquals(lines, tally.lineCount(), where);
            assertEquals(notes, tally.notes, where);
        }
    }
}
