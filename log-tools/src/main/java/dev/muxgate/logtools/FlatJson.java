package dev.muxgate.logtools;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;

/**
 * One JSON object whose members are strings, numbers, booleans or null (RFC 8259), as a JSON Lines
 * log record is: nothing nested. Numbers stay exact ({@link BigDecimal}). Anything else is refused
 * with a short reason and the character position.
 */
final class FlatJson {

    private final String text;
    private int i;

    private FlatJson(String text) {
        this.text = text;
    }

    static Map<String, Object> parse(String text) {
        return new FlatJson(text).object();
    }

    private Map<String, Object> object() {
        Map<String, Object> members = new HashMap<>();
        space();
        expect('{');
        space();
        if (peek() == '}') {
            i++;
        } else {
            while (true) {
                space();
                String name = string();
                space();
                expect(':');
                space();
                members.put(name, value());
                space();
                char c = next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw fail("expected ',' or '}'");
                }
            }
        }
        space();
        if (i != text.length()) {
            throw fail("text after the object");
        }
        return members;
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (text.startsWith("null", i)) {
            i += 4;
            return null;
        }
        if (text.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (text.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        throw fail(c == '{' || c == '[' ? "a nested value" : "expected a value");
    }

    private BigDecimal number() {
        int start = i;
        while (i < text.length() && "+-0123456789.eE".indexOf(text.charAt(i)) >= 0) {
            i++;
        }
        try {
            return new BigDecimal(text.substring(start, i));
        } catch (NumberFormatException e) {
            i = start;
            throw fail("bad number");
        }
    }

    private String string() {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) {
                throw fail("a control character in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 > text.length()) {
                        throw fail("short \\u escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(i, i + 4), 16));
                    } catch (NumberFormatException ex) {
                        throw fail("bad \\u escape");
                    }
                    i += 4;
                }
                default -> throw fail("bad escape \\" + e);
            }
        }
    }

    private void space() {
        while (i < text.length() && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\r')) {
            i++;
        }
    }

    private char peek() {
        if (i >= text.length()) {
            throw fail("the line ends early");
        }
        return text.charAt(i);
    }

    private char next() {
        char c = peek();
        i++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            i--;
            throw fail("expected '" + c + "'");
        }
    }

    private IllegalArgumentException fail(String why) {
        return new IllegalArgumentException(why + " at character " + (i + 1));
    }
}
