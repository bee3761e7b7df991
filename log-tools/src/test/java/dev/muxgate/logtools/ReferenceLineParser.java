package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import dev.muxgate.httpcore.log.LogField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The access line parser as it was before it learnt to find line ends and read eight bytes at a
 * time: a plain byte-at-a-time reading of a line whose end is known. Kept for the tests only, as
 * the reference {@link AccessLineParser} must agree with on every line, reason and value.
 */
final class ReferenceLineParser {

    /** What one field's token is turned into. */
    private enum Slot { PROTOCOL, SESSION, BYTES, STATUS, TIME, CLIENT, SKIP }

    private final byte[] prefix;
    private final LogField[] fields;
    private final Slot[] slots;
    /** The literal after each field; for the last field the line's suffix, or null for none. */
    private final byte[][] separators;

    private byte[] line;
    private int protocolStart;
    private int protocolEnd;
    private int clientStart;
    private int clientEnd;
    private long sessionId;
    private long bytes;
    private int status;
    private long timeMillis;
    private boolean hasTime;

    private ReferenceLineParser(byte[] prefix, LogField[] fields, byte[][] separators) {
        this.prefix = prefix;
        this.fields = fields;
        this.separators = separators;
        this.slots = new Slot[fields.length];
        for (int i = 0; i < fields.length; i++) {
            slots[i] = switch (fields[i]) {
                case PLUGIN_TAG -> Slot.PROTOCOL;
                case PLUGIN_ID -> Slot.SESSION;
                case PROXY_BODY_BYTES -> Slot.BYTES;
                case PROXY_STATUS -> Slot.STATUS;
                case REQUEST_START -> Slot.TIME;
                case CLIENT_IP -> Slot.CLIENT;
                default -> Slot.SKIP;
            };
        }
    }

    /**
     * Compiles a parser for lines written in {@code format}.
     *
     * @throws IllegalArgumentException when the format lacks {@code %<pitag>} or {@code %<piid>}, or
     *                                  has two fields with nothing between them (no way to split)
     */
    static ReferenceLineParser compile(AccessLogFormat format) {
        List<AccessLogFormat.Element> elements = format.elements();
        byte[] prefix = new byte[0];
        List<LogField> fields = new ArrayList<>();
        List<byte[]> separators = new ArrayList<>();
        for (int i = 0; i < elements.size(); i++) {
            AccessLogFormat.Element element = elements.get(i);
            if (element instanceof AccessLogFormat.Element.Literal literal) {
                byte[] text = literal.text().getBytes(StandardCharsets.UTF_8);
                if (fields.isEmpty()) {
                    prefix = text;
                } else {
                    separators.set(separators.size() - 1, text);
                }
            } else {
                LogField field = ((AccessLogFormat.Element.Field) element).field();
                if (!fields.isEmpty() && separators.get(separators.size() - 1) == null) {
                    throw new IllegalArgumentException("the access log format puts %<"
                            + fields.get(fields.size() - 1).atsName() + "> and %<" + field.atsName()
                            + "> next to each other with nothing between them, so their values cannot be told apart");
                }
                fields.add(field);
                separators.add(null);
            }
        }
        if (!fields.contains(LogField.PLUGIN_TAG) || !fields.contains(LogField.PLUGIN_ID)) {
            throw new IllegalArgumentException("the access log format '" + format
                    + "' has no %<pitag> or no %<piid> field, and the reports need both");
        }
        return new ReferenceLineParser(prefix, fields.toArray(new LogField[0]), separators.toArray(new byte[0][]));
    }

    /**
     * Splits the line {@code buf[start, end)} (without its line terminator) and keeps the values.
     *
     * @return null when the line is well formed, else a short reason why it is not
     */
    String parse(byte[] buf, int start, int end) {
        line = buf;
        protocolStart = protocolEnd = clientStart = clientEnd = -1;
        sessionId = 0;
        bytes = 0;
        status = 0;
        timeMillis = 0;
        hasTime = false;
        int pos = start;
        if (prefix.length > 0) {
            if (!regionMatches(buf, pos, end, prefix)) {
                return "does not start with the format's leading text";
            }
            pos += prefix.length;
        }
        int last = fields.length - 1;
        for (int i = 0; i <= last; i++) {
            byte[] separator = separators[i];
            int tokenEnd;
            if (i == last) {
                tokenEnd = separator == null ? end : end - separator.length;
                if (separator != null && (tokenEnd < pos || !regionMatches(buf, tokenEnd, end, separator))) {
                    return "does not end with the format's trailing text";
                }
                for (int p = pos; p < tokenEnd; p++) {
                    if (buf[p] < 0x21 || buf[p] > 0x7E) {
                        return badByteReason(buf[p], fields[i]);
                    }
                }
            } else {
                tokenEnd = -1;
                byte first = separator[0];
                for (int p = pos; p < end; p++) {
                    byte b = buf[p];
                    if (b == first && regionMatches(buf, p, end, separator)) {
                        tokenEnd = p;
                        break;
                    }
                    if (b < 0x21 || b > 0x7E) {
                        return badByteReason(b, fields[i]);
                    }
                }
                if (tokenEnd < 0) {
                    return "has fewer fields than the format (" + fields.length + ")";
                }
            }
            if (tokenEnd == pos) {
                return "has an empty %<" + fields[i].atsName() + "> value";
            }
            String problem = take(i, buf, pos, tokenEnd);
            if (problem != null) {
                return problem;
            }
            pos = separator == null ? tokenEnd : tokenEnd + separator.length;
        }
        return null;
    }

    private static String badByteReason(byte b, LogField field) {
        if (b == ' ' || b == '\t') {
            return "has more fields than the format (white space inside %<" + field.atsName() + ">)";
        }
        return "has a byte 0x" + Integer.toHexString(b & 0xFF).toUpperCase() + " the log writer never writes in %<"
                + field.atsName() + ">";
    }

    private String take(int i, byte[] buf, int from, int to) {
        LogField field = fields[i];
        switch (slots[i]) {
            case PROTOCOL -> {
                protocolStart = from;
                protocolEnd = to;
                return checkEscapes(buf, from, to, field);
            }
            case CLIENT -> {
                clientStart = from;
                clientEnd = to;
                return checkEscapes(buf, from, to, field);
            }
            case SESSION, BYTES, STATUS -> {
                long value = parseNumber(buf, from, to);
                if (value < 0) {
                    return "has a %<" + field.atsName() + "> value that is not a number";
                }
                if (slots[i] == Slot.SESSION) {
                    sessionId = value;
                } else if (slots[i] == Slot.BYTES) {
                    bytes = value;
                } else {
                    status = value > 999 ? 1000 : (int) value;
                }
                return null;
            }
            case TIME -> {
                int dot = to - 4;
                long seconds = dot > from && buf[dot] == '.' ? parseNumber(buf, from, dot) : -1;
                long millis = seconds < 0 ? -1 : parseNumber(buf, dot + 1, to);
                if (millis < 0 || buf[dot + 1] == '-') {
                    return "has a %<" + field.atsName() + "> value that is not seconds.millis";
                }
                timeMillis = seconds * 1000 + millis;
                hasTime = true;
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** A decimal of at most 18 digits, {@code -} as 0 (unset); -1 when not a number. */
    private static long parseNumber(byte[] buf, int from, int to) {
        if (to - from == 1 && buf[from] == '-') {
            return 0;
        }
        if (to - from > 18 || to == from) {
            return -1;
        }
        long value = 0;
        for (int p = from; p < to; p++) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            value = value * 10 + d;
        }
        return value;
    }

    private static String checkEscapes(byte[] buf, int from, int to, LogField field) {
        for (int p = from; p < to; p++) {
            if (buf[p] == '\\') {
                try {
                    AccessLogFormat.unescape(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
                    return null;
                } catch (IllegalArgumentException e) {
                    return "has a bad escape in %<" + field.atsName() + ">";
                }
            }
        }
        return null;
    }

    private static boolean regionMatches(byte[] buf, int pos, int end, byte[] text) {
        if (end - pos < text.length) {
            return false;
        }
        for (int k = 0; k < text.length; k++) {
            if (buf[pos + k] != text[k]) {
                return false;
            }
        }
        return true;
    }

    /** True when the last line had a {@code pitag} that is set (not {@code -}). */
    boolean hasProtocol() {
        return protocolStart >= 0 && !(protocolEnd - protocolStart == 1 && line[protocolStart] == '-');
    }

    /** True when the last line's protocol token equals {@code token} (its escaped spelling). */
    boolean protocolEquals(byte[] token) {
        return protocolStart >= 0 && protocolEnd - protocolStart == token.length
                && regionMatches(line, protocolStart, protocolEnd, token);
    }

    /** The last line's protocol token as written (escaped); see {@link #unescaped}. */
    byte[] protocolToken() {
        return java.util.Arrays.copyOfRange(line, protocolStart, protocolEnd);
    }

    /** The last line's client address, unescaped; null when the format has no {@code chi} or it is unset. */
    String client() {
        return clientStart < 0 ? null : unescaped(line, clientStart, clientEnd);
    }

    static String unescaped(byte[] buf, int from, int to) {
        return AccessLogFormat.unescape(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
    }

    long sessionId() {
        return sessionId;
    }

    long bytes() {
        return bytes;
    }

    /** The {@code pssc} status; 0 when the format has none or it is unset. */
    int status() {
        return status;
    }

    boolean hasTime() {
        return hasTime;
    }

    long timeMillis() {
        return timeMillis;
    }
}
