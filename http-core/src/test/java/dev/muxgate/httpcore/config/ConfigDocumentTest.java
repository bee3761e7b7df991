package dev.muxgate.httpcore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDocumentTest {

    @Test
    void emptyFileIsAnEmptyRootMapping() {
        ConfigSection root = ConfigDocument.parse("empty.yaml", "").root();
        assertTrue(root.keys().isEmpty());
        assertEquals("", root.path());
    }

    @Test
    void fileOfOnlyCommentsIsAnEmptyRootMapping() {
        assertTrue(ConfigDocument.parse("c.yaml", "# nothing here\n\n   # nor here\n").root().keys().isEmpty());
        assertTrue(ConfigDocument.parse("c.yaml", "---\n").root().keys().isEmpty());
    }

    @Test
    void syntaxErrorIsAConfigExceptionWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("bad.yaml", "limits:\n  header-bytes: 1k\n    body: 2\n"));
        assertEquals("bad.yaml", e.file());
        assertEquals(3, e.line());
        assertEquals("", e.keyPath());
        assertTrue(e.getMessage().startsWith("bad.yaml:3: invalid YAML: "), e.getMessage());
    }

    @Test
    void unclosedFlowListReportsWhereTheParserGaveUp() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("bad.yaml", "a: 1\nb: [1, 2\n"));
        assertEquals(3, e.line());
    }

    @Test
    void tabIndentationIsASyntaxErrorWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("tab.yaml", "limits:\n\theader-bytes: 1k\n"));
        assertEquals(2, e.line());
        assertTrue(e.sentence().startsWith("invalid YAML: "), e.sentence());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void unquotedStarHostGetsAHint() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("star.yaml", "remap:\n  - host: *\n    to: internal:demo\n"));
        assertEquals(2, e.line());
        assertTrue(e.sentence().endsWith("(quote a value that starts with * or &, e.g. \"*\")"), e.sentence());
    }

    @Test
    void duplicateKeyNamesBothLines() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("dup.yaml", "limits:\n  header-bytes: 1k\n  header-count: 5\n  header-bytes: 2k\n"));
        assertEquals("dup.yaml:4: limits.header-bytes: duplicate key, already set on line 2", e.getMessage());
    }

    @Test
    void duplicateKeyInsideAListItemIsFoundToo() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("dup.yaml", "remap:\n  - to: a\n  - to: b\n    to: c\n"));
        assertEquals(4, e.line());
        assertEquals("remap[1].to", e.keyPath());
    }

    @Test
    void duplicateTopLevelKeyIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("dup.yaml", "tls: {}\nlimits: {}\ntls: {}\n"));
        assertEquals("dup.yaml:3: tls: duplicate key, already set on line 1", e.getMessage());
    }

    @Test
    void rootThatIsNotAMappingIsRefused() {
        ConfigException list = assertThrows(ConfigException.class, () -> ConfigDocument.parse("l.yaml", "- a\n- b\n"));
        assertEquals("l.yaml:1: the top level must be a mapping of keys such as listeners:, got a list",
                list.getMessage());
        ConfigException scalar = assertThrows(ConfigException.class, () -> ConfigDocument.parse("s.yaml", "hello\n"));
        assertEquals("s.yaml:1: the top level must be a mapping of keys such as listeners:, got \"hello\"",
                scalar.getMessage());
    }

    @Test
    void secondDocumentIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("two.yaml", "a: 1\n---\nb: 2\n"));
        assertEquals(2, e.line());
    }

    @Test
    void mergeKeyIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigDocument.parse("m.yaml", "base: &b {port: 1}\nhttp:\n  <<: *b\n"));
        assertEquals("m.yaml:3: http.<<: merge keys are not supported; write the settings out", e.getMessage());
    }

    @Test
    void recursiveAliasDoesNotLoopForever() {
        ConfigSection root = ConfigDocument.parse("r.yaml", "a: &x\n  - *x\n").root();
        assertEquals(List.of("a"), List.copyOf(root.keys()));
    }

    @Test
    void loadUsesThePathAsGivenInMessages(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, "# c\nlimits:\n  header-bytes: lots\n", StandardCharsets.UTF_8);
        ConfigSection limits = ConfigDocument.load(file).root().optionalSection("limits");
        ConfigException e = assertThrows(ConfigException.class, () -> limits.size("header-bytes", 1));
        assertEquals(file + ":3: limits.header-bytes: expected a size such as 64k or 1m, got \"lots\"",
                e.getMessage());
    }

    @Test
    void missingFileIsAConfigException(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigDocument.load(file));
        assertEquals(file + ": no such file", e.getMessage());
        assertEquals(0, e.line());
    }

    @Test
    void fileThatIsNotUtf8IsAConfigException(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xE9, '\n'});
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigDocument.load(file));
        assertEquals(file + ": not valid UTF-8 text", e.getMessage());
    }
}
