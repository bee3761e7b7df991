package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import dev.muxgate.httpcore.log.FieldText;
import dev.muxgate.httpcore.log.LogField;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads a JSON Lines log (the gateway's {@code syntax: json}) as the text lines the parsers read:
 * each object is spelled again as the text line of the same record, so every report, count and
 * line number is the same as for the text log, and the text parsers stay the only parsers. One
 * JSON line gives one text line. A line that is not a flat JSON object becomes a line no text
 * parser accepts (it starts with a control byte and says why), so it is counted as malformed
 * with its own line number; blank lines and the writer's {@code #} notes pass as they are.
 */
final class JsonLinesInput extends InputStream {

    private static final int MAX_LINE = 1 << 20;

    private final InputStream in;
    private final Function<Map<String, Object>, String> speller;
    private final ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
    private byte[] pending = new byte[0];
    private int pos;
    private boolean ended;

    private JsonLinesInput(InputStream in, Function<Map<String, Object>, String> speller) {
        this.in = in;
        this.speller = speller;
    }

    /** Access-log JSON Lines, spelled in {@code format} (whose fields the objects name). */
    static UnaryOperator<InputStream> access(AccessLogFormat format) {
        return in -> new JsonLinesInput(in, object -> accessLine(format, object));
    }

    /** Session-log JSON Lines, spelled as the session log's text line. */
    static UnaryOperator<InputStream> session() {
        return in -> new JsonLinesInput(in, JsonLinesInput::sessionLine);
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return pending[pos++] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, pending.length - pos);
        System.arraycopy(pending, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private boolean fill() throws IOException {
        while (pos == pending.length) {
            if (ended) {
                return false;
            }
            raw.reset();
            int c;
            boolean tooLong = false;
            while ((c = in.read()) != -1 && c != '\n') {
                if (raw.size() < MAX_LINE) {
                    raw.write(c);
                } else {
                    tooLong = true;
                }
            }
            if (c == -1) {
                ended = true;
                if (raw.size() == 0) {
                    return false;
                }
            }
            String line = raw.toString(StandardCharsets.UTF_8);
            String text = tooLong ? refused("longer than " + MAX_LINE + " bytes") : spell(line);
            pending = (text + (c == -1 ? "" : "\n")).getBytes(StandardCharsets.UTF_8);
            pos = 0;
        }
        return true;
    }

    private String spell(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return line;
        }
        try {
            return speller.apply(FlatJson.parse(trimmed));
        } catch (IllegalArgumentException e) {
            return refused(e.getMessage());
        }
    }

    /** A line no text parser takes: a control byte first (never written by the gateway). */
    private static String refused(String why) {
        return "\u0001not a JSON Lines record: " + why;
    }

    static String accessLine(AccessLogFormat format, Map<String, Object> object) {
        StringBuilder line = new StringBuilder(256);
        for (AccessLogFormat.Element element : format.elements()) {
            if (element instanceof AccessLogFormat.Element.Literal literal) {
                line.append(literal.text());
                continue;
            }
            LogField field = ((AccessLogFormat.Element.Field) element).field();
            Object value = object.get(field.atsName());
            switch (field.kind()) {
                case TEXT -> FieldText.escapeTo(line, text(field.atsName(), value));
                case TIMESTAMP -> line.append(seconds(field.atsName(), value));
                case NUMBER -> {
                    if (value == null) {
                        line.append(field == LogField.SERVER_STATUS ? FieldText.UNSET : "0");
                    } else {
                        line.append(integer(field.atsName(), value));
                    }
                }
            }
        }
        return line.toString();
    }

    static String sessionLine(Map<String, Object> o) {
        List<String> fields = SessionLogLine.FIELDS;
        StringBuilder line = new StringBuilder(160);
        for (String name : fields) {
            if (line.length() > 0) {
                line.append(' ');
            }
            Object value = o.get(name);
            switch (name) {
                case "time" -> line.append(seconds(name, value));
                case "protocol", "chi", "sni", "tlsv", "cipher", "reason" -> FieldText.escapeTo(line, text(name, value));
                case "chp" -> line.append(value == null ? FieldText.UNSET : integer(name, value));
                default -> line.append(value == null ? "0" : integer(name, value));
            }
        }
        return line.toString();
    }

    private static String text(String name, Object value) {
        if (value != null && !(value instanceof String)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a string");
        }
        return (String) value;
    }

    private static String integer(String name, Object value) {
        if (!(value instanceof BigDecimal number)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a number");
        }
        try {
            return number.toBigIntegerExact().toString();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("\"" + name + "\" is not a whole number");
        }
    }

    /** Epoch seconds with exactly three decimals, as the text writer spells them (a pipeline may drop zeros). */
    private static String seconds(String name, Object value) {
        if (!(value instanceof BigDecimal number)) {
            throw new IllegalArgumentException("\"" + name + "\" is not a number");
        }
        return number.setScale(3, RoundingMode.DOWN).toPlainString();
    }
}
