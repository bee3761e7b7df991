package dev.muxgate.gateway.session;

import dev.muxgate.httpcore.log.FieldText;
import dev.muxgate.httpcore.log.JsonText;

/**
 * The session log as JSON Lines ({@code logs.session.syntax: json}): one object per ended session
 * with the text line's fields under their {@link SessionLogFormat#FIELDS} names, in that order:
 * {@code {"time":1732550000.123,"number":17,"protocol":"h2","chi":"203.0.113.7","chp":50123,...,
 * "resumed":0}}. Numbers are JSON numbers, unset text and an unknown port are {@code null}, text is
 * escaped as {@link JsonText} says.
 */
public final class JsonSessionLineFormat {

    private JsonSessionLineFormat() {
    }

    public static void formatTo(StringBuilder line, SessionRecord s) {
        line.append('{');
        JsonText.appendName(line, "time");
        FieldText.appendEpochSeconds(line, s.endEpochMillis());
        line.append(',');
        JsonText.appendName(line, "number");
        line.append(s.number()).append(',');
        text(line, "protocol", s.protocol());
        text(line, "chi", s.clientIp());
        JsonText.appendName(line, "chp");
        if (s.clientPort() == 0) {
            line.append("null");
        } else {
            line.append(s.clientPort());
        }
        line.append(',');
        text(line, "sni", s.sni());
        text(line, "tlsv", s.tlsVersion());
        text(line, "cipher", s.tlsCipher());
        number(line, "ttms", s.durationMillis());
        number(line, "streams", s.streams());
        number(line, "bytes_in", s.bytesIn());
        number(line, "bytes_out", s.bytesOut());
        text(line, "reason", s.closeReason());
        JsonText.appendName(line, "resumed");
        line.append(s.resumed() ? '1' : '0').append('}');
    }

    private static void text(StringBuilder line, String name, String value) {
        JsonText.appendName(line, name);
        JsonText.appendString(line, value == null || value.isEmpty() ? null : value);
        line.append(',');
    }

    private static void number(StringBuilder line, String name, long value) {
        JsonText.appendName(line, name);
        line.append(value).append(',');
    }
}
