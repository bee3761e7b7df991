package dev.muxgate.httpcore.log;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * How values are spelled in a log line (the access log's, the session log's), and back. Every text
 * value becomes one token that holds no whitespace, no line break, no quote and no backslash, so
 * that no request or client can forge a line or shift a field:
 *
 * <ul>
 *   <li>null and empty text print as {@code -} (unset);</li>
 *   <li>each character outside printable ASCII {@code 0x21..0x7E}, and {@code "} and {@code \},
 *       prints as {@code \xHH} for every byte of its UTF-8 encoding (upper-case hex; a lone
 *       surrogate, which has no UTF-8 encoding, prints as U+FFFD);</li>
 *   <li>a value that is exactly {@code -} prints as {@code \x2D}, so it differs from unset;</li>
 *   <li>a leading {@code #} prints as {@code \x23}, because a line starting {@code #} is a note
 *       of the writer's own.</li>
 * </ul>
 *
 * {@code %} is left alone: URLs are full of percent-encoding and it means nothing in a line.
 *
 * <p>The methods append to a caller's buffer and allocate nothing, so a {@link LineFormatter} can
 * use them on its per-line path.
 */
public final class FieldText {

    /** The token for a value that is not set (null or empty text). */
    public static final String UNSET = "-";

    private static final String HEX = "0123456789ABCDEF";

    private FieldText() {
    }

    /** Appends {@code value} as one token, escaped as the class comment describes. */
    public static void escapeTo(StringBuilder out, String value) {
        if (value == null || value.isEmpty()) {
            out.append('-');
            return;
        }
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c > 0x20 && c < 0x7F && c != '\\' && c != '"'
                    && !(i == 0 && (c == '#' || (c == '-' && length == 1)))) {
                out.append(c);
            } else if (c < 0x80) {
                appendByte(out, c);
            } else if (c < 0x800) {
                appendByte(out, 0xC0 | (c >> 6));
                appendByte(out, 0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                appendByte(out, 0xF0 | (cp >> 18));
                appendByte(out, 0x80 | ((cp >> 12) & 0x3F));
                appendByte(out, 0x80 | ((cp >> 6) & 0x3F));
                appendByte(out, 0x80 | (cp & 0x3F));
            } else {
                char bmp = Character.isSurrogate(c) ? '\uFFFD' : c;
                appendByte(out, 0xE0 | (bmp >> 12));
                appendByte(out, 0x80 | ((bmp >> 6) & 0x3F));
                appendByte(out, 0x80 | (bmp & 0x3F));
            }
        }
    }

    private static void appendByte(StringBuilder out, int b) {
        out.append('\\').append('x').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
    }

    /** The inverse of {@link #escapeTo}: {@code -} gives null; a bad escape is rejected. */
    public static String unescape(String token) {
        if (token.equals(UNSET)) {
            return null;
        }
        if (token.indexOf('\\') < 0) {
            return token;
        }
        // Every char yields at most 3 UTF-8 bytes (a surrogate pair yields 4 for 2 chars).
        byte[] bytes = new byte[token.length() * 3];
        int n = 0;
        int length = token.length();
        for (int i = 0; i < length; i++) {
            char c = token.charAt(i);
            if (c == '\\') {
                int hi = i + 3 < length && token.charAt(i + 1) == 'x' ? hexDigit(token.charAt(i + 2)) : -1;
                int lo = hi < 0 ? -1 : hexDigit(token.charAt(i + 3));
                if (lo < 0) {
                    throw new IllegalArgumentException("bad escape at character " + (i + 1) + " of '"
                            + token + "': expected \\x and two hex digits");
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 3;
            } else {
                // Never written by escapeTo, but a hand-edited line may carry raw text: keep it.
                int end = Character.isHighSurrogate(c) && i + 1 < length
                        && Character.isLowSurrogate(token.charAt(i + 1)) ? i + 2 : i + 1;
                byte[] raw = token.substring(i, end).getBytes(StandardCharsets.UTF_8);
                System.arraycopy(raw, 0, bytes, n, raw.length);
                n += raw.length;
                i = end - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("'" + token + "' does not decode to UTF-8 text", e);
        }
    }

    /** ASCII hex only: {@link Character#digit} would also take other scripts' digits. */
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** Epoch milliseconds as seconds with exactly three decimals, without formatting objects. */
    public static void appendEpochSeconds(StringBuilder out, long epochMillis) {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        out.append(seconds).append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        out.append(millis);
    }

    static void appendOrDash(StringBuilder out, int value) {
        if (value == 0) {
            out.append('-');
        } else {
            out.append(value);
        }
    }
}
