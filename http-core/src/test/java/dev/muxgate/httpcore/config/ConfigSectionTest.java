package dev.muxgate.httpcore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConfigSectionTest {

    private static ConfigSection root(String yaml) {
        return ConfigDocument.parse("test.yaml", yaml).root();
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "512, 512",
        "512b, 512",
        "64k, 65536",
        "64K, 65536",
        "64kb, 65536",
        "64KB, 65536",
        "1m, 1048576",
        "1MB, 1048576",
        "1g, 1073741824",
        "3gb, 3221225472",
    })
    void sizesArePlainBytesOrPowersOf1024(String text, long bytes) {
        assertEquals(bytes, root("s: " + text).size("s", 7));
    }

    @Test
    void quotedSizeIsAccepted() {
        assertEquals(65536, root("s: \"64k\"").size("s", 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "-1", "1.5m", "64x", "k", "1t", "64kib", "0x10"})
    void malformedSizeNamesKeyLineAndValue(String text) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> root("a: 1\nlimits:\n  header-bytes: " + text).optionalSection("limits").size("header-bytes", 7));
        assertEquals("test.yaml", e.file());
        assertEquals(3, e.line());
        assertEquals("limits.header-bytes", e.keyPath());
        assertEquals("test.yaml:3: limits.header-bytes: expected a size such as 64k or 1m, got \"" + text + "\"",
                e.getMessage());
    }

    @Test
    void sizeBeyondLongIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> root("s: 99999999999999g").size("s", 7));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }

    @Test
    void sizeAboveTheGivenMaximumIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> root("s: 2g").size("s", 7, Integer.MAX_VALUE));
        assertEquals("s", e.keyPath());
        assertTrue(e.sentence().contains("at most 2147483647 bytes"), e.sentence());
    }

    @Test
    void absentKeyTakesTheDefault() {
        ConfigSection root = root("other: 1");
        assertEquals(7, root.size("s", 7));
        assertEquals(Duration.ofSeconds(3), root.duration("d", Duration.ofSeconds(3)));
        assertEquals(5, root.integer("i", 5, 0, 10));
        assertEquals("x", root.string("t", "x"));
        assertTrue(root.bool("b", true));
        assertFalse(root.has("s"));
        assertTrue(root.has("other"));
    }

    @ParameterizedTest
    @CsvSource({
        "0, PT0S",
        "0s, PT0S",
        "250ms, PT0.25S",
        "10s, PT10S",
        "10S, PT10S",
        "5m, PT5M",
        "1h, PT1H",
        "1d, PT24H",
        "90s, PT1M30S",
    })
    void durationsCarryTheirUnit(String text, String iso) {
        assertEquals(Duration.parse(iso), root("d: " + text).duration("d", Duration.ofDays(9)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "-1s", "1.5s", "1w", "soon", "10 sec", "[1s]"})
    void malformedDurationIsRefused(String text) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> root("\n\ntimeouts:\n  idle: " + text).optionalSection("timeouts").duration("idle", Duration.ZERO));
        assertEquals(4, e.line());
        assertEquals("timeouts.idle", e.keyPath());
        assertTrue(e.sentence().startsWith("expected a duration such as 250ms, 10s, 5m, 1h or 1d, got "),
                e.sentence());
    }

    @Test
    void integersAreDecimalWithinRange() {
        assertEquals(-3, root("i: -3").integer("i", 0));
        assertEquals(65535, root("i: 65535").integer("i", 0, 0, 65535));
        ConfigException e = assertThrows(ConfigException.class, () -> root("i: 65536").integer("i", 0, 0, 65535));
        assertEquals("test.yaml:1: i: expected a whole number from 0 to 65535, got \"65536\"", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0755", "0x10", "1_000", "1.0", "ten", "99999999999", "true"})
    void integerNotWrittenAsPlainDecimalIsRefused(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> root("i: " + text).integer("i", 0));
        assertEquals("expected a whole number, got \"" + text + "\"", e.sentence());
    }

    @Test
    void booleansAreTrueOrFalseOnly() {
        assertTrue(root("b: true").bool("b", false));
        assertFalse(root("b: False").bool("b", true));
        ConfigException e = assertThrows(ConfigException.class, () -> root("b: yes").bool("b", false));
        assertEquals("expected true or false, got \"yes\"", e.sentence());
    }

    @Test
    void listWhereANumberIsExpectedIsAWrongType() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> root("limits:\n  header-count:\n    - 1\n    - 2\n").optionalSection("limits")
                        .integer("header-count", 100));
        assertEquals("test.yaml:3: limits.header-count: expected a whole number, got a list", e.getMessage());
    }

    @Test
    void mappingWhereAStringIsExpectedIsAWrongType() {
        ConfigException e = assertThrows(ConfigException.class, () -> root("host: {a: 1}").string("host", "x"));
        assertEquals("test.yaml:1: host: expected a string, got a mapping", e.getMessage());
    }

    @Test
    void scalarWhereASectionIsExpectedIsAWrongType() {
        ConfigException e = assertThrows(ConfigException.class, () -> root("limits: 5").optionalSection("limits"));
        assertEquals("test.yaml:1: limits: expected a mapping of keys, got \"5\"", e.getMessage());
    }

    @Test
    void emptyValueIsNotSilentlyTheDefault() {
        ConfigException e = assertThrows(ConfigException.class, () -> root("a: 1\nport:\n").integer("port", 80));
        assertEquals(2, e.line());
        assertEquals("expected a whole number, got nothing (remove the key to use the default)", e.sentence());
    }

    @Test
    void sectionWithEveryLineCommentedOutIsEmpty() {
        ConfigSection limits = root("limits:\n  # header-bytes: 1k\n").optionalSection("limits");
        assertEquals(Set.of(), limits.keys());
        assertEquals("limits", limits.path());
        assertEquals(1, limits.line());
        assertEquals(32, limits.size("header-bytes", 32));
    }

    @Test
    void absentSectionIsEmptyWithItsPath() {
        ConfigSection http = root("").optionalSection("listeners").optionalSection("http");
        assertEquals("listeners.http", http.path());
        assertTrue(http.keys().isEmpty());
    }

    @Test
    void unknownKeyNamesItsLineAndSuggestsTheClosestKnownKey() {
        ConfigSection limits = root("limits:\n  header-count: 5\n  header-byte: 1k\n  hedaer-bytes: 2k\n")
                .optionalSection("limits");
        ConfigException e = assertThrows(ConfigException.class,
                () -> limits.rejectUnknownKeys(Set.of("header-bytes", "header-count", "request-line-bytes")));
        assertEquals("test.yaml:3: limits.header-byte: unknown key, did you mean header-bytes?", e.getMessage());
        assertEquals(3, e.line());
    }

    @Test
    void suggestionToleratesUnderscoresAndSwappedLetters() {
        assertEquals("unknown key, did you mean header-bytes?", unknownKeySentence("header_bytes"));
        assertEquals("unknown key, did you mean port?", unknownKeySentence("prot"));
    }

    @Test
    void unknownKeyFarFromAnyKnownKeyListsTheKnownKeys() {
        assertEquals("unknown key; known keys are header-bytes, port, to", unknownKeySentence("colour"));
        assertEquals("unknown key; known keys are header-bytes, port, to", unknownKeySentence("xy"));
    }

    private static String unknownKeySentence(String key) {
        ConfigSection root = root(key + ": 1");
        return assertThrows(ConfigException.class,
                () -> root.rejectUnknownKeys(Set.of("header-bytes", "port", "to"))).sentence();
    }

    @Test
    void knownKeysPass() {
        root("a: 1\nb: 2").rejectUnknownKeys(Set.of("a", "b", "c"));
    }

    @Test
    void listGivesItemSectionsInOrderWithIndexedPaths() {
        List<ConfigSection> items = root("items:\n  - name: one\n  - name: two\n").list("items");
        assertEquals(2, items.size());
        assertEquals("one", items.get(0).string("name"));
        assertEquals("items[1]", items.get(1).path());
        assertEquals(3, items.get(1).line());
        ConfigException e = assertThrows(ConfigException.class, () -> items.get(1).integer("name", 0));
        assertEquals("test.yaml:3: items[1].name: expected a whole number, got \"two\"", e.getMessage());
    }

    @Test
    void listItemThatIsNotAMappingIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> root("items:\n  - a: 1\n  - oops\n").list("items"));
        assertEquals("test.yaml:3: items[1]: expected a mapping of keys, got \"oops\"", e.getMessage());
    }

    @Test
    void emptyListValueIsAmbiguousAndRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> root("items:\n").list("items"));
        assertTrue(e.sentence().contains("items: []"), e.sentence());
        assertEquals(List.of(), root("items: []").list("items"));
        assertEquals(List.of(), root("other: 1").list("items"));
    }

    @Test
    void requiredStringNamesTheSectionLine() {
        ConfigSection item = root("items:\n  - host: a\n").list("items").get(0);
        ConfigException e = assertThrows(ConfigException.class, () -> item.string("to"));
        assertEquals("test.yaml:2: items[0].to: missing; this key is required", e.getMessage());
    }
}
