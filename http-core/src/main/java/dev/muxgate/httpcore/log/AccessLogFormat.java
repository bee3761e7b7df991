package dev.muxgate.httpcore.log;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The access log's line format: ATS-style fields {@code %<name>} (see {@link LogField}) with
 * literal text between them, {@code %%} for a literal percent. Parsed once from the configuration
 * and used by the log writer to print each {@link TransactionRecord}, and by the log tools to read
 * lines back (through {@link #elements()} and {@link #unescape}).
 *
 * <p>A line always stays one line: a literal may not hold line breaks or other control
 * characters, a format may not start with {@code #} (which marks the writer's own note lines),
 * and every text value is escaped into one whitespace-free token as {@link #escape} describes.
 */
public final class AccessLogFormat {

    /** One piece of a format: literal text or a field. */
    public sealed interface Element permits Element.Literal, Element.Field {

        /** Text copied into every line as is ({@code %%} already turned into {@code %}). */
        record Literal(String text) implements Element {
            public Literal {
                Objects.requireNonNull(text, "text");
                if (text.isEmpty()) {
                    throw new IllegalArgumentException("a literal needs text");
                }
            }
        }

        /** A value taken from the transaction. */
        record Field(LogField field) implements Element {
            public Field {
                Objects.requireNonNull(field, "field");
            }
        }
    }

    private final String source;
    private final Element[] elements;

    private AccessLogFormat(String source, Element[] elements) {
        this.source = source;
        this.elements = elements;
    }

    /**
     * Parses a format string.
     *
     * @throws IllegalArgumentException naming the offending field and its position (counting
     *                                  characters from 1) and listing the known fields
     */
    public static AccessLogFormat parse(String format) {
        Objects.requireNonNull(format, "format");
        List<Element> parsed = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < format.length()) {
            char c = format.charAt(i);
            if (c != '%') {
                if (c != '\t' && (c < 0x20 || c == 0x7F)) {
                    throw new IllegalArgumentException("access log format has a control character (0x"
                            + Integer.toHexString(c) + ") at character " + (i + 1)
                            + ": each access log entry must stay on one line");
                }
                literal.append(c);
                i++;
            } else if (format.startsWith("%%", i)) {
                literal.append('%');
                i += 2;
            } else if (format.startsWith("%<", i)) {
                int close = format.indexOf('>', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("access log format field %<" + nameAfter(format, i + 2)
                            + " at character " + (i + 1) + " has no closing '>'; known fields: " + knownFields());
                }
                String name = format.substring(i + 2, close);
                int position = i + 1;
                LogField field = LogField.fromAtsName(name).orElseThrow(() -> new IllegalArgumentException(
                        "access log format has an unknown field %<" + name + "> at character " + position
                                + "; known fields: " + knownFields()));
                if (literal.length() > 0) {
                    parsed.add(new Element.Literal(literal.toString()));
                    literal.setLength(0);
                }
                parsed.add(new Element.Field(field));
                i = close + 1;
            } else {
                throw new IllegalArgumentException("access log format has a lone '%' at character " + (i + 1)
                        + ": write %<name> for a field or %% for a percent sign; known fields: " + knownFields());
            }
        }
        if (literal.length() > 0) {
            parsed.add(new Element.Literal(literal.toString()));
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException("access log format is empty; known fields: " + knownFields());
        }
        if (format.startsWith("#")) {
            throw new IllegalArgumentException(
                    "access log format must not start with '#', which marks the log writer's own notes");
        }
        return new AccessLogFormat(format, parsed.toArray(new Element[0]));
    }

    /** The first run of name-like characters, to name a field that was never closed. */
    private static String nameAfter(String format, int from) {
        int end = from;
        while (end < format.length() && Character.isLetterOrDigit(format.charAt(end))) {
            end++;
        }
        return format.substring(from, end);
    }

    private static String knownFields() {
        return Arrays.stream(LogField.values()).map(LogField::atsName).collect(Collectors.joining(", "));
    }

    /** The format's pieces in order; adjacent literal text is one {@link Element.Literal}. */
    public List<Element> elements() {
        return List.of(elements);
    }

    /** One line for the record, without a line terminator. */
    public String format(TransactionRecord record) {
        StringBuilder out = new StringBuilder(256);
        formatTo(out, record);
        return out.toString();
    }

    /** Appends one line for the record, without a line terminator, allocating nothing itself. */
    public void formatTo(StringBuilder out, TransactionRecord record) {
        for (Element element : elements) {
            if (element instanceof Element.Field field) {
                field.field().appendValue(out, record);
            } else {
                out.append(((Element.Literal) element).text());
            }
        }
    }

    /**
     * A text value as it appears in a line: null or empty as {@code -}; bytes of the UTF-8
     * encoding outside {@code 0x21..0x7E}, and {@code "} and {@code \}, as {@code \xHH}; a value
     * that is exactly {@code -} as {@code \x2D}; a leading {@code #} as {@code \x23}.
     */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value == null ? 1 : value.length() + 16);
        FieldText.escapeTo(out, value);
        return out.toString();
    }

    /**
     * The text value a token of a {@link LogField.Kind#TEXT} field stands for: the inverse of
     * {@link #escape}, with {@code -} giving null (unset; empty text also prints as {@code -}).
     *
     * @throws IllegalArgumentException for a backslash not followed by {@code x} and two hex
     *                                  digits, or escaped bytes that are not UTF-8
     */
    public static String unescape(String token) {
        return FieldText.unescape(Objects.requireNonNull(token, "token"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccessLogFormat that && source.equals(that.source);
    }

    @Override
    public int hashCode() {
        return source.hashCode();
    }

    /** The format string this was parsed from. */
    @Override
    public String toString() {
        return source;
    }
}
