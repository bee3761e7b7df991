package dev.muxgate.httpcore.config;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One configuration file, parsed into YAML nodes rather than Java objects so that every value keeps
 * its line for error messages. The first step of start-up: load, then read sections from
 * {@link #root()}.
 */
public final class ConfigDocument {

    private final String name;
    private final ConfigSection root;

    private ConfigDocument(String name, ConfigSection root) {
        this.name = name;
        this.root = root;
    }

    /** Reads and parses {@code file}; every failure, including an unreadable file, is a {@link ConfigException}. */
    public static ConfigDocument load(Path file) {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(name, 0, "", "no such file", e);
        } catch (CharacterCodingException e) {
            throw new ConfigException(name, 0, "", "not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new ConfigException(name, 0, "", "cannot read the file: " + e, e);
        }
        return parse(name, text);
    }

    /** Parses {@code yamlText} as if it were the file {@code name} (used in messages). */
    public static ConfigDocument parse(String name, String yamlText) {
        Node rootNode = compose(name, yamlText);
        if (rootNode == null || isNull(rootNode)) {
            // An empty file, or one with only comments, means "all defaults".
            return new ConfigDocument(name, ConfigSection.empty(name, "", 1));
        }
        if (!(rootNode instanceof MappingNode)) {
            throw new ConfigException(name, lineOf(rootNode), "",
                    "the top level must be a mapping of keys such as listeners:, got "
                            + ConfigSection.describe(rootNode));
        }
        checkKeys(name, rootNode, "", Collections.newSetFromMap(new IdentityHashMap<>()));
        return new ConfigDocument(name, ConfigSection.of(name, "", lineOf(rootNode), (MappingNode) rootNode));
    }

    /** The file name used in messages. */
    public String name() {
        return name;
    }

    /** The top-level mapping; empty for an empty file. */
    public ConfigSection root() {
        return root;
    }

    static int lineOf(Node node) {
        Mark mark = node.getStartMark();
        return mark == null ? 0 : mark.getLine() + 1;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    private static Node compose(String name, String yamlText) {
        // Composing (not constructing) keeps nodes with their marks. Merge keys stay plain keys so
        // that checkKeys can refuse them: a merged default would have no line of its own.
        LoaderOptions options = new LoaderOptions();
        options.setMergeOnCompose(false);
        try {
            return new Yaml(options).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            int line = mark == null ? 0 : mark.getLine() + 1;
            String problem = e.getProblem() == null ? "" : e.getProblem();
            String sentence = e.getContext() == null ? problem : e.getContext() + ", " + problem;
            if (sentence.contains("alias")) {
                // host: * is the likely slip: a plain * starts an alias in YAML.
                sentence += " (quote a value that starts with * or &, e.g. \"*\")";
            }
            throw new ConfigException(name, line, "", "invalid YAML: " + oneLine(sentence), e);
        } catch (YAMLException e) {
            throw new ConfigException(name, 0, "", "invalid YAML: " + oneLine(String.valueOf(e.getMessage())), e);
        }
    }

    /**
     * Refuses, anywhere in the tree (including parts owned by other modules), what YAML allows but a
     * configuration must not have: a key given twice in one mapping (YAML composers keep both and a
     * later reader would silently pick one), non-scalar keys and merge keys.
     */
    private static void checkKeys(String name, Node node, String path, Set<Node> visited) {
        if (!visited.add(node)) {
            return; // an alias to a node already checked; also stops recursive structures
        }
        if (node instanceof MappingNode) {
            Map<String, Integer> lineByKey = new HashMap<>();
            for (NodeTuple entry : ((MappingNode) node).getValue()) {
                Node keyNode = entry.getKeyNode();
                if (!(keyNode instanceof ScalarNode)) {
                    throw new ConfigException(name, lineOf(keyNode), path,
                            "keys must be plain names, got " + ConfigSection.describe(keyNode));
                }
                String key = ((ScalarNode) keyNode).getValue();
                String keyPath = ConfigSection.join(path, key);
                if (Tag.MERGE.equals(keyNode.getTag())) {
                    throw new ConfigException(name, lineOf(keyNode), keyPath,
                            "merge keys are not supported; write the settings out");
                }
                Integer earlier = lineByKey.putIfAbsent(key, lineOf(keyNode));
                if (earlier != null) {
                    throw new ConfigException(name, lineOf(keyNode), keyPath,
                            "duplicate key, already set on line " + earlier);
                }
                checkKeys(name, entry.getValueNode(), keyPath, visited);
            }
        } else if (node instanceof SequenceNode) {
            List<Node> items = ((SequenceNode) node).getValue();
            for (int i = 0; i < items.size(); i++) {
                checkKeys(name, items.get(i), path + "[" + i + "]", visited);
            }
        }
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
