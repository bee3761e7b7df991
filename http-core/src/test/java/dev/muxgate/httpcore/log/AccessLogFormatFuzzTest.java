package dev.muxgate.httpcore.log;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the access-log format language and its escaping. The first line of
 * the input is a format string: it must parse or be refused with an {@link IllegalArgumentException}
 * (the config loader turns that into a message with file, line and key). The other lines are the
 * text fields of a transaction, any bytes at all: the formatted line must never hold a line
 * break, and every escaped field must unescape to what it was.
 */
class AccessLogFormatFuzzTest {

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void formatsParseOrAreRefusedAndNoFieldCanBreakALine(byte[] data) {
        String[] parts = new String(data, StandardCharsets.ISO_8859_1).split("\n", -1);
        AccessLogFormat format;
        try {
            format = AccessLogFormat.parse(parts[0]);
        } catch (IllegalArgumentException refused) {
            if (refused.getMessage() == null || refused.getMessage().isBlank()) {
                throw new AssertionError("a refusal without a sentence", refused);
            }
            format = AccessLogFormat.parse("%<cqhm> %<cquc> %<chi> %<pitag> %<cqpv>");
        }
        String text = parts.length > 1 ? parts[1] : "";
        // Also as UTF-8, so characters past Latin-1 and lone surrogates come in too.
        String wide = new String(data, StandardCharsets.UTF_8);
        TransactionRecord record = new TransactionRecord()
                .method(field(parts, 2, text)).url(text).clientIp(field(parts, 3, wide))
                .pluginTag(field(parts, 4, text)).protocolVersion(field(parts, 5, wide));
        String line = format.format(record);
        if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
            throw new AssertionError("a field broke the line: " + line);
        }
        for (String value : new String[] {text, wide}) {
            String escaped = AccessLogFormat.escape(value);
            String back = AccessLogFormat.unescape(escaped);
            // An empty text is written "-", as an unset one is: both read back as unset.
            boolean same = value.isEmpty() ? back == null || back.isEmpty() : value.equals(back);
            if (escaped.isEmpty() || escaped.indexOf(' ') >= 0 || !same) {
                throw new AssertionError("escaping is not one token that unescapes to the value: " + escaped);
            }
        }
    }

    private static String field(String[] parts, int index, String fallback) {
        return parts.length > index ? parts[index] : fallback;
    }
}
