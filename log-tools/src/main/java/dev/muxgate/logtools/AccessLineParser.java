package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import dev.muxgate.httpcore.log.LogField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads access log lines back into the values the reports need ({@code pitag}, {@code piid},
 * {@code psql}, {@code pssc}, {@code cqtq}, {@code chi}). Compiled once from the format's elements:
 * each field ends where the literal that follows it begins, so a line is split by scanning its
 * bytes once, with no regular expression and no per-line string unless a value is needed. The
 * scan also finds the line's end, so the reader never looks for newlines apart.
 *
 * <p>Every token must be printable ASCII ({@code 0x21..0x7E}), which is all the gateway's writer
 * ever prints (it escapes everything else); a line that is not, or that does not have the format's
 * shape, is malformed and {@link #problem} says why. A field ends at the first occurrence of the
 * literal after it: white space and {@code "} never occur in a value (the writer escapes them), so
 * such separators are exact; a separator such as {@code /} that a value may hold splits too early.
 *
 * <p>Fields ended by one space (every shipped format) take a fast path that reads eight bytes at a
 * time ({@link LogBytes}); anything it does not recognise at once goes to the exact byte-wise path,
 * so both give the same verdict and values (a test holds them to the old byte-at-a-time parser).
 * Not thread-safe: one parser per input being read.
 */
final class AccessLineParser {

    // What one field's token is turned into (ints, not an enum: the switch runs for every field of every line).
    private static final int PROTOCOL = 0;
    private static final int SESSION = 1;
    private static final int BYTES = 2;
    private static final int STATUS = 3;
    private static final int TIME = 4;
    private static final int CLIENT = 5;
    private static final int SKIP = 6;

    private final byte[] prefix;
    private final LogField[] fields;
    private final int[] slots;
    /** The literal after each field; for the last field the line's suffix, or null for none. */
    private final byte[][] separators;
    /**
     * Per field, its separator when that is one byte outside {@code 0x21..0x7E} (a space, as in
     * every shipped format), else -1. Such a field is read by {@link #fastEnd} in one pass: the
     * search that finds the separator also finds any byte the writer never writes.
     */
    private final int[] plainSeparator;

    /** {@link #parseLine} returns this when the line runs past the bytes given. */
    static final int INCOMPLETE = -1;
    private static final int FAILED = -3;

    private byte[] line;
    private int lineStart;
    private int limit;
    private boolean atEnd;
    private String problem;
    private int lineEndOrFail;
    private int protocolStart;
    private int protocolEnd;
    private int clientStart;
    private int clientEnd;
    private long sessionId;
    /** The value {@link #digits} read last. */
    private long number;
    private long bytes;
    private int status;
    private long timeMillis;
    private boolean hasTime;

    private AccessLineParser(byte[] prefix, LogField[] fields, byte[][] separators) {
        this.prefix = prefix;
        this.fields = fields;
        this.separators = separators;
        this.slots = new int[fields.length];
        this.plainSeparator = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            slots[i] = switch (fields[i]) {
                case PLUGIN_TAG -> PROTOCOL;
                case PLUGIN_ID -> SESSION;
                case PROXY_BODY_BYTES -> BYTES;
                case PROXY_STATUS -> STATUS;
                case REQUEST_START -> TIME;
                case CLIENT_IP -> CLIENT;
                default -> SKIP;
            };
            byte[] separator = separators[i];
            plainSeparator[i] = separator != null && separator.length == 1 && !LogBytes.printable(separator[0])
                    ? separator[0] : -1;
        }
    }

    /**
     * Compiles a parser for lines written in {@code format}.
     *
     * @throws IllegalArgumentException when the format lacks {@code %<pitag>} or {@code %<piid>}, or
     *                                  has two fields with nothing between them (no way to split)
     */
    static AccessLineParser compile(AccessLogFormat format) {
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
        return new AccessLineParser(prefix, fields.toArray(new LogField[0]), separators.toArray(new byte[0][]));
    }

    /**
     * Splits the line {@code buf[start, end)} (without its line terminator) and keeps the values.
     *
     * @return null when the line is well formed, else a short reason why it is not
     */
    String parse(byte[] buf, int start, int end) {
        parseLine(buf, start, end, true);
        return problem;
    }

    /**
     * Parses the line that starts at {@code buf[start]}, finding its end on the way: one pass over
     * its bytes, which are read no further than {@code limit}. The line ends at the first
     * {@code \n} (a {@code \r} before it is not part of the line) or, when {@code atEnd} says no
     * byte follows {@code limit}, at {@code limit}. Afterwards {@link #problem()} is null for a
     * well-formed line, else why it is not.
     *
     * @return the index of the line's {@code \n} (or {@code limit} when the input ends without
     *         one), or {@link #INCOMPLETE} when the line runs past {@code limit} and more bytes follow
     */
    int parseLine(byte[] buf, int start, int limit, boolean atEnd) {
        line = buf;
        protocolStart = protocolEnd = clientStart = clientEnd = -1;
        sessionId = 0;
        bytes = 0;
        status = 0;
        timeMillis = 0;
        hasTime = false;
        problem = null;
        lineStart = start;
        this.limit = limit;
        this.atEnd = atEnd;
        int pos = start;
        if (prefix.length > 0) {
            if (limit - pos < prefix.length) {
                return atEnd ? fail(pos, "does not start with the format's leading text") : INCOMPLETE;
            }
            if (!regionMatches(buf, pos, limit, prefix)) {
                return fail(pos, "does not start with the format's leading text");
            }
            pos += prefix.length;
        }
        int last = fields.length - 1;
        for (int i = 0; i < last; i++) {
            int fast = plainSeparator[i] < 0 ? -1 : fastEnd(i, buf, pos, (byte) plainSeparator[i]);
            if (fast >= 0) {
                pos = fast + 1;
                continue;
            }
            int tokenEnd = separatorAt(i, pos);
            if (tokenEnd < 0) {
                return tokenEnd == INCOMPLETE ? INCOMPLETE : lineEndOrFail;
            }
            if (tokenEnd == pos) {
                return fail(pos, "has an empty %<" + fields[i].atsName() + "> value");
            }
            String why = take(i, buf, pos, tokenEnd);
            if (why != null) {
                return fail(pos, why);
            }
            pos = tokenEnd + separators[i].length;
        }
        return lastField(pos);
    }

    /**
     * Reads field {@code i} when it is the common case: a plain token ended by its one-byte
     * separator {@code sep}, a number of 1 to 18 digits (or {@code -}), seconds.millis, text with no
     * escape. Returns the separator's index, or -1 when the token is anything else (or runs past
     * {@code limit}) and the exact, slower {@link #separatorAt} and {@link #take} must judge it; the
     * fast path sets no value a token it refuses would not also set.
     */
    private int fastEnd(int i, byte[] buf, int pos, byte sep) {
        switch (slots[i]) {
            case SKIP -> {
                int p = LogBytes.firstNotPrintable(buf, pos, limit);
                return p > pos && p < limit && buf[p] == sep ? p : -1;
            }
            case PROTOCOL, CLIENT -> {
                int p = LogBytes.firstNotPrintableOr(buf, pos, limit, (byte) '\\');
                if (p > pos && p < limit && buf[p] == sep) {
                    if (slots[i] == PROTOCOL) {
                        protocolStart = pos;
                        protocolEnd = p;
                    } else {
                        clientStart = pos;
                        clientEnd = p;
                    }
                    return p;
                }
                return -1;
            }
            case SESSION, BYTES, STATUS -> {
                int p = digits(buf, pos);
                long value = number;
                if (p == pos) {
                    // '-' is an unset number, read as 0.
                    if (p + 1 >= limit || buf[p] != '-') {
                        return -1;
                    }
                    p++;
                }
                if (p >= limit || buf[p] != sep) {
                    return -1;
                }
                if (slots[i] == SESSION) {
                    sessionId = value;
                } else if (slots[i] == BYTES) {
                    bytes = value;
                } else {
                    status = value > 999 ? 1000 : (int) value;
                }
                return p;
            }
            case TIME -> {
                int p = digits(buf, pos);
                long seconds = number;
                if (p == pos || p + 4 >= limit || buf[p] != '.' || buf[p + 4] != sep) {
                    return -1;
                }
                int d1 = buf[p + 1] - '0';
                int d2 = buf[p + 2] - '0';
                int d3 = buf[p + 3] - '0';
                if ((d1 | d2 | d3) < 0 || d1 > 9 || d2 > 9 || d3 > 9) {
                    return -1;
                }
                timeMillis = seconds * 1000 + d1 * 100 + d2 * 10 + d3;
                hasTime = true;
                return p + 4;
            }
            default -> {
                return -1;
            }
        }
    }

    /** Powers of ten up to 10^8, for appending a word's digits to a number. */
    private static final long[] TENS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /**
     * Reads the run of at most 18 digits at {@code pos} into {@link #number}, eight at a time while
     * a whole word is in the buffer, and returns where it ends.
     */
    private int digits(byte[] buf, int pos) {
        if (pos + 8 <= limit) {
            // Most numbers in a log line have fewer than eight digits: one word holds them all.
            long word = LogBytes.word(buf, pos);
            int n = LogBytes.leadingDigits(word);
            if (n < 8) {
                number = n == 0 ? 0 : LogBytes.digitsValue(word, n);
                return pos + n;
            }
        }
        int max = Math.min(limit, pos + 18);
        int p = pos;
        long value = 0;
        while (p + 8 <= limit) {
            int n = Math.min(LogBytes.leadingDigits(LogBytes.word(buf, p)), max - p);
            if (n <= 0) {
                number = value;
                return p;
            }
            value = value * TENS[n] + LogBytes.digitsValue(LogBytes.word(buf, p), n);
            p += n;
            if (n < 8) {
                number = value;
                return p;
            }
        }
        for (; p < max; p++) {
            int d = buf[p] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            value = value * 10 + d;
        }
        number = value;
        return p;
    }

    /**
     * The end of field {@code i}'s token that starts at {@code pos}: where its separator begins.
     * Negative when there is none: {@link #INCOMPLETE}, or {@link #FAILED} with the line's end in
     * {@link #lineEndOrFail} and the reason in {@link #problem}.
     */
    private int separatorAt(int i, int pos) {
        byte[] buf = line;
        byte[] separator = separators[i];
        byte first = separator[0];
        boolean firstPrintable = LogBytes.printable(first);
        int p = pos;
        while (true) {
            p = firstPrintable ? LogBytes.firstNotPrintableOr(buf, p, limit, first) : LogBytes.firstNotPrintable(buf, p, limit);
            if (p == limit) {
                return atEnd ? failed(limit, "has fewer fields than the format (" + fields.length + ")") : INCOMPLETE;
            }
            byte b = buf[p];
            if (b == first) {
                if (separator.length == 1) {
                    return p;
                }
                if (limit - p < separator.length) {
                    if (!atEnd) {
                        return INCOMPLETE;
                    }
                } else if (regionMatches(buf, p, limit, separator)) {
                    return p;
                }
                if (firstPrintable) {
                    p++;
                    continue;
                }
            }
            int terminator = terminatorAt(p);
            if (terminator == INCOMPLETE) {
                return INCOMPLETE;
            }
            if (terminator >= 0) {
                return failed(terminator, "has fewer fields than the format (" + fields.length + ")");
            }
            return failed(p, badByteReason(b, fields[i]));
        }
    }

    /** The last field runs to the line's end, or to the format's trailing text just before it. */
    private int lastField(int pos) {
        byte[] buf = line;
        int last = fields.length - 1;
        byte[] suffix = separators[last];
        int tokenEnd;
        int lineEnd;
        if (suffix == null) {
            int p = LogBytes.firstNotPrintable(buf, pos, limit);
            if (p == limit) {
                if (!atEnd) {
                    return INCOMPLETE;
                }
                tokenEnd = lineEnd = limit;
            } else {
                lineEnd = terminatorAt(p);
                if (lineEnd == INCOMPLETE) {
                    return INCOMPLETE;
                }
                if (lineEnd < 0) {
                    return fail(p, badByteReason(buf[p], fields[last]));
                }
                tokenEnd = p;
            }
        } else {
            lineEnd = LogBytes.indexOf(buf, pos, limit, (byte) '\n');
            if (lineEnd == limit && !atEnd) {
                return INCOMPLETE;
            }
            int contentEnd = lineEnd < limit && lineEnd > lineStart && buf[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
            tokenEnd = contentEnd - suffix.length;
            if (tokenEnd < pos || !regionMatches(buf, tokenEnd, contentEnd, suffix)) {
                problem = "does not end with the format's trailing text";
                return lineEnd;
            }
            int p = LogBytes.firstNotPrintable(buf, pos, tokenEnd);
            if (p < tokenEnd) {
                problem = badByteReason(buf[p], fields[last]);
                return lineEnd;
            }
        }
        if (tokenEnd == pos) {
            problem = "has an empty %<" + fields[last].atsName() + "> value";
            return lineEnd;
        }
        problem = take(last, buf, pos, tokenEnd);
        return lineEnd;
    }

    /**
     * When {@code buf[p]} ends the line ({@code \n}, or {@code \r} right before one), the index of
     * the {@code \n}; {@link #INCOMPLETE} when that depends on a byte not read yet; else -2.
     */
    private int terminatorAt(int p) {
        byte b = line[p];
        if (b == '\n') {
            return p;
        }
        if (b == '\r') {
            if (p + 1 == limit) {
                return atEnd ? -2 : INCOMPLETE;
            }
            return line[p + 1] == '\n' ? p + 1 : -2;
        }
        return -2;
    }

    /** Records why the line is malformed and returns the line's end, found from {@code from}. */
    private int fail(int from, String why) {
        int end = failed(from, why);
        return end == INCOMPLETE ? INCOMPLETE : lineEndOrFail;
    }

    /** Like {@link #fail} but returns {@link #FAILED} (or {@link #INCOMPLETE}) and leaves the end in {@link #lineEndOrFail}. */
    private int failed(int from, String why) {
        int end = LogBytes.indexOf(line, from, limit, (byte) '\n');
        if (end == limit && !atEnd) {
            return INCOMPLETE;
        }
        problem = why;
        lineEndOrFail = end;
        return FAILED;
    }

    /** Null when the last line parsed was well formed, else why it is not. */
    String problem() {
        return problem;
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
                if (slots[i] == SESSION) {
                    sessionId = value;
                } else if (slots[i] == BYTES) {
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
        if (LogBytes.indexOf(buf, from, to, (byte) '\\') == to) {
            return null;
        }
        try {
            AccessLogFormat.unescape(new String(buf, from, to - from, StandardCharsets.ISO_8859_1));
            return null;
        } catch (IllegalArgumentException e) {
            return "has a bad escape in %<" + field.atsName() + ">";
        }
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
