package dev.muxgate.httpcore.config;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A read-only view of one YAML mapping of a {@link ConfigDocument}, with its dotted key path, that
 * turns values into typed settings. Every getter takes the default when the key is absent and
 * throws a {@link ConfigException} naming file, line and key when the value is of the wrong kind:
 * nothing is coerced behind the operator's back (a list is never a number, {@code yes} is never
 * {@code true}, {@code 30} is never a duration).
 */
public final class ConfigSection {

    private static final String SIZE_EXPECTED = "a size such as 64k or 1m";
    private static final String DURATION_EXPECTED = "a duration such as 250ms, 10s, 5m, 1h or 1d";
    // Decimal only, no leading zeros: YAML 1.1 reads 0755 as octal, and we will not guess.
    private static final Pattern INTEGER = Pattern.compile("-?(?:0|[1-9][0-9]*)");
    private static final Pattern SIZE =
            Pattern.compile("([0-9]+)\\s*(b|k|kb|m|mb|g|gb)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION =
            Pattern.compile("([0-9]+)\\s*(ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);

    private final String file;
    private final String path;
    private final int line;
    private final Map<String, NodeTuple> entries;

    private ConfigSection(String file, String path, int line, Map<String, NodeTuple> entries) {
        this.file = file;
        this.path = path;
        this.line = line;
        this.entries = entries;
    }

    static ConfigSection of(String file, String path, int line, MappingNode node) {
        Map<String, NodeTuple> entries = new LinkedHashMap<>();
        for (NodeTuple entry : node.getValue()) {
            // ConfigDocument has refused non-scalar and duplicate keys already.
            entries.put(((ScalarNode) entry.getKeyNode()).getValue(), entry);
        }
        return new ConfigSection(file, path, line, Collections.unmodifiableMap(entries));
    }

    static ConfigSection empty(String file, String path, int line) {
        return new ConfigSection(file, path, line, Map.of());
    }

    /** The file name used in messages. */
    public String file() {
        return file;
    }

    /** The dotted key path of this mapping, e.g. {@code limits} or {@code remap[2]}; empty for the root. */
    public String path() {
        return path;
    }

    /** The line that names this mapping (its key, or its list item); 1 for the root. */
    public int line() {
        return line;
    }

    /** The keys present, in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    /** Whether {@code key} is present, even with an empty value. */
    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /**
     * The mapping under {@code key}; an empty section when the key is absent or has an empty value
     * (so commenting out every line of a section gives its defaults).
     */
    public ConfigSection optionalSection(String key) {
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            return empty(file, join(path, key), line);
        }
        Node value = entry.getValueNode();
        int keyLine = ConfigDocument.lineOf(entry.getKeyNode());
        if (ConfigDocument.isNull(value)) {
            return empty(file, join(path, key), keyLine);
        }
        if (!(value instanceof MappingNode)) {
            throw error(key, "expected a mapping of keys, got " + describe(value));
        }
        return of(file, join(path, key), keyLine, (MappingNode) value);
    }

    /**
     * The list of mappings under {@code key}, in file order; empty when the key is absent (use
     * {@link #has} to tell an absent list from {@code []}). An empty value is an error because it is
     * ambiguous: {@code []} means no items, an absent key means the default items.
     */
    public List<ConfigSection> list(String key) {
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            return List.of();
        }
        Node value = entry.getValueNode();
        if (ConfigDocument.isNull(value)) {
            throw error(key, "expected a list, got nothing (write " + key
                    + ": [] for none, or remove the key for the default)");
        }
        if (!(value instanceof SequenceNode)) {
            throw error(key, "expected a list, got " + describe(value));
        }
        List<Node> items = ((SequenceNode) value).getValue();
        List<ConfigSection> sections = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = join(path, key) + "[" + i + "]";
            if (!(item instanceof MappingNode)) {
                throw new ConfigException(file, ConfigDocument.lineOf(item), itemPath,
                        "expected a mapping of keys, got " + describe(item));
            }
            sections.add(of(file, itemPath, ConfigDocument.lineOf(item), (MappingNode) item));
        }
        return List.copyOf(sections);
    }

    /** The text of a scalar value; any scalar is text, but a list, a mapping or nothing is not. */
    /**
     * A list of names: a YAML list of scalars ({@code [h2, http/1.1]} or one item per line), or one
     * scalar with comma-separated items. Null when the key is absent; empty items are refused.
     */
    public List<String> strings(String key) {
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        Node value = entry.getValueNode();
        List<String> items = new ArrayList<>();
        if (value instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                if (!(item instanceof ScalarNode scalar) || scalar.getValue().isBlank()) {
                    throw new ConfigException(file, ConfigDocument.lineOf(item), join(path, key),
                            "expected a list of names, one item is not a name");
                }
                items.add(scalar.getValue().trim());
            }
            return List.copyOf(items);
        }
        String text = string(key);
        for (String part : text.split(",", -1)) {
            if (part.isBlank()) {
                throw error(key, "expected a list of names, got an empty item in \"" + text + "\"");
            }
            items.add(part.trim());
        }
        return List.copyOf(items);
    }

    public String string(String key, String defaultValue) {
        String text = scalar(key, "a string");
        return text == null ? defaultValue : text;
    }

    /** Like {@link #string(String, String)} for a key that has no default. */
    public String string(String key) {
        String text = scalar(key, "a string");
        if (text == null) {
            throw new ConfigException(file, line, join(path, key), "missing; this key is required");
        }
        return text;
    }

    /** {@code true} or {@code false} (any case); YAML 1.1's yes/no/on/off are refused as ambiguous. */
    public boolean bool(String key, boolean defaultValue) {
        String text = scalar(key, "true or false");
        if (text == null) {
            return defaultValue;
        }
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw wrong(key, "true or false");
    }

    /** A decimal whole number of any int value. */
    public int integer(String key, int defaultValue) {
        return integer(key, defaultValue, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** A decimal whole number from {@code min} to {@code max} inclusive. */
    public int integer(String key, int defaultValue, int min, int max) {
        String expected = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE
                ? "a whole number"
                : "a whole number from " + min + " to " + max;
        String text = scalar(key, expected);
        if (text == null) {
            return defaultValue;
        }
        if (!INTEGER.matcher(text).matches()) {
            throw wrong(key, expected);
        }
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw wrong(key, expected);
        }
        if (value < min || value > max) {
            throw wrong(key, expected);
        }
        return (int) value;
    }

    /**
     * A number of bytes: a plain number, or one with a unit k, m or g (powers of 1024, any case,
     * optionally followed by b: {@code 512}, {@code 512b}, {@code 64k}, {@code 64KB}, {@code 1m},
     * {@code 1g}).
     */
    public long size(String key, long defaultBytes) {
        return size(key, defaultBytes, Long.MAX_VALUE);
    }

    /** Like {@link #size(String, long)}, refusing more than {@code maxBytes}. */
    public long size(String key, long defaultBytes, long maxBytes) {
        String text = scalar(key, SIZE_EXPECTED);
        if (text == null) {
            return defaultBytes;
        }
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw wrong(key, SIZE_EXPECTED);
        }
        long bytes;
        try {
            bytes = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier(matcher.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw error(key, "size too large: " + quote(text));
        }
        if (bytes > maxBytes) {
            throw error(key, "expected a size of at most " + maxBytes + " bytes, got " + quote(text));
        }
        return bytes;
    }

    /** A duration with a unit: {@code 250ms}, {@code 10s}, {@code 5m}, {@code 1h}, {@code 1d}; or {@code 0}. */
    public Duration duration(String key, Duration defaultValue) {
        String text = scalar(key, DURATION_EXPECTED);
        if (text == null) {
            return defaultValue;
        }
        String trimmed = text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw wrong(key, DURATION_EXPECTED);
        }
        try {
            return Duration.of(Long.parseLong(matcher.group(1)), unit(matcher.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw error(key, "duration too large: " + quote(text));
        }
    }

    /**
     * Refuses the first key, in file order, that is not in {@code known}, suggesting the closest
     * known key when there is one: a misspelt key would otherwise silently leave its default in force.
     */
    public void rejectUnknownKeys(Set<String> known) {
        for (NodeTuple entry : entries.values()) {
            String key = ((ScalarNode) entry.getKeyNode()).getValue();
            if (known.contains(key)) {
                continue;
            }
            String closest = closest(key, known);
            String sentence;
            if (closest != null) {
                sentence = "unknown key, did you mean " + closest + "?";
            } else if (known.isEmpty()) {
                sentence = "unknown key; this section takes no keys";
            } else {
                sentence = "unknown key; known keys are " + String.join(", ", new TreeSet<>(known));
            }
            throw new ConfigException(file, ConfigDocument.lineOf(entry.getKeyNode()), join(path, key), sentence);
        }
    }

    /**
     * An error about {@code key} of this section, at the line of its value, or of this section when
     * the key is absent (e.g. a default that does not fit with another setting).
     */
    public ConfigException error(String key, String sentence) {
        return new ConfigException(file, lineOf(key), join(path, key), sentence);
    }

    /** An error about this section as a whole, at the line that names it. */
    public ConfigException error(String sentence) {
        return new ConfigException(file, line, path, sentence);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** How a value reads in an error: a scalar quoted, anything else by its kind. */
    static String describe(Node node) {
        if (ConfigDocument.isNull(node)) {
            return "nothing";
        }
        if (node instanceof ScalarNode) {
            return quote(((ScalarNode) node).getValue());
        }
        return node instanceof SequenceNode ? "a list" : "a mapping";
    }

    private int lineOf(String key) {
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            return line;
        }
        Node value = entry.getValueNode();
        // An empty value's mark may sit on the next token; the key's line is where the eye goes.
        return ConfigDocument.isNull(value) ? ConfigDocument.lineOf(entry.getKeyNode()) : ConfigDocument.lineOf(value);
    }

    /** The scalar text under {@code key}, or null when the key is absent. */
    private String scalar(String key, String expected) {
        NodeTuple entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        Node value = entry.getValueNode();
        if (ConfigDocument.isNull(value)) {
            throw error(key, "expected " + expected + ", got nothing (remove the key to use the default)");
        }
        if (!(value instanceof ScalarNode)) {
            throw wrong(key, expected);
        }
        return ((ScalarNode) value).getValue();
    }

    private ConfigException wrong(String key, String expected) {
        return error(key, "expected " + expected + ", got " + describe(entries.get(key).getValueNode()));
    }

    private static String quote(String text) {
        String shown = text.length() > 60 ? text.substring(0, 57) + "..." : text;
        return '"' + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }

    private static long multiplier(String unit) {
        if (unit == null) {
            return 1;
        }
        switch (unit.toLowerCase(Locale.ROOT).charAt(0)) {
            case 'k':
                return 1024L;
            case 'm':
                return 1024L * 1024;
            case 'g':
                return 1024L * 1024 * 1024;
            default:
                return 1; // b
        }
    }

    private static ChronoUnit unit(String unit) {
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "ms":
                return ChronoUnit.MILLIS;
            case "s":
                return ChronoUnit.SECONDS;
            case "m":
                return ChronoUnit.MINUTES;
            case "h":
                return ChronoUnit.HOURS;
            default:
                return ChronoUnit.DAYS;
        }
    }

    /**
     * The known key nearest to {@code unknown} by edit distance (ignoring case), or null when none is
     * near enough to be a plausible typo.
     */
    private static String closest(String unknown, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int distance = editDistance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best == null) {
            return null;
        }
        // One edit per three letters: header_bytes finds header-bytes, but xy does not find to.
        int tolerated = Math.max(1, Math.min(unknown.length(), best.length()) / 3);
        return bestDistance <= tolerated ? best : null;
    }

    /** Optimal string alignment distance: Levenshtein plus swapped neighbours (prot, port) as one edit. */
    private static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j], d[i][j - 1]) + 1);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
