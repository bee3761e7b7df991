package dev.muxgate.httpcore.log;

/**
 * How text is spelled in a JSON Lines log (the access log's, the session log's): a JSON string
 * (RFC 8259) that is pure ASCII, so no pipeline stage can mangle it and no value can break its line.
 * {@code "} and {@code \} are escaped, control characters (and DEL) become {@code \n}, {@code \t},
 * ... or a six-character {@code u00XX} escape, and everything outside ASCII becomes such an
 * escape (a character outside the BMP as its surrogate pair). A lone surrogate, which is no Unicode
 * text, becomes the escape of U+FFFD. Bytes a client sent that are not ASCII reach the record as the characters of the
 * same number (Netty reads request lines and headers as ISO-8859-1), so byte {@code 0xFF} is
 * written as the escape of U+00FF: every byte is kept and none can break the JSON.
 */
public final class JsonText {

    private static final String HEX = "0123456789abcdef";

    private JsonText() {
    }

    /** Appends {@code value} as a JSON string, or {@code null} when it is null. */
    public static void appendString(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7F) {
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                appendUnicode(out, c);
                appendUnicode(out, value.charAt(++i));
            } else {
                appendUnicode(out, Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        out.append('"');
    }

    /** Appends {@code "name":}; names are the log's own (ASCII, nothing to escape). */
    public static void appendName(StringBuilder out, String name) {
        out.append('"').append(name).append("\":");
    }

    private static void appendUnicode(StringBuilder out, char c) {
        out.append("\\u").append(HEX.charAt(c >> 12)).append(HEX.charAt((c >> 8) & 0xF))
                .append(HEX.charAt((c >> 4) & 0xF)).append(HEX.charAt(c & 0xF));
    }
}
