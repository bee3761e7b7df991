package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.ConfigSection;
import dev.muxgate.httpcore.config.CoreConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionLogConfigReaderTest {

    private static ConfigSection sessionOf(ConfigSection root) {
        return root.optionalSection("logs").optionalSection(SessionLogConfigReader.SECTION);
    }

    private static SessionLogConfig read(String yaml) {
        return SessionLogConfigReader.read(sessionOf(ConfigDocument.parse("conf/gateway.yaml", yaml).root()));
    }

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml));
    }

    @Test
    void anAbsentOrEmptySectionGivesTheDefaults() {
        assertEquals(SessionLogConfig.defaults(), read("listeners: {}\n"));
        assertEquals(SessionLogConfig.defaults(), read("logs:\n  access: {}\n"));
        assertEquals(SessionLogConfig.defaults(), read("logs:\n  session:\n"));
    }

    @Test
    void defaultsAreTheAccessLogsButForTheFile() {
        SessionLogConfig d = SessionLogConfig.defaults();
        AccessLogConfig access = AccessLogConfig.defaults();
        assertEquals(Path.of("var/log/session.log"), d.path());
        assertEquals(access.enabled(), d.enabled());
        assertEquals(access.rotateBytes(), d.rotateBytes());
        assertEquals(access.rotateInterval(), d.rotateInterval());
        assertEquals(access.keepFiles(), d.keepFiles());
        assertEquals(access.queueLines(), d.queueLines());
    }

    @Test
    void everyKeyIsRead() {
        SessionLogConfig config = read("logs:\n"
                + "  session:\n"
                + "    enabled: false\n"
                + "    path: /tmp/s/sessions.log\n"
                + "    rotate-size: 64k\n"
                + "    rotate-interval: 1h\n"
                + "    keep: 3\n"
                + "    queue-lines: 1000\n");
        assertEquals(new SessionLogConfig(false, Path.of("/tmp/s/sessions.log"), 64 * 1024, Duration.ofHours(1), 3, 1000),
                config);
        assertEquals(Path.of("/tmp/s/sessions.log"), config.file().path());
        assertEquals(1000, config.file().queueLines());
    }

    @Test
    void zeroTurnsRotationOffAndKeepsEveryFile() {
        SessionLogConfig config = read("logs:\n  session:\n    rotate-size: 0\n    rotate-interval: 0\n    keep: 0\n");
        assertEquals(0, config.rotateBytes());
        assertEquals(Duration.ZERO, config.rotateInterval());
        assertEquals(0, config.keepFiles());
    }

    @Test
    void anUnknownKeyIsRefusedAtItsLine() {
        ConfigException e = refused("logs:\n  session:\n    enabled: true\n    rotate-sise: 1m\n");
        assertEquals(4, e.line());
        assertEquals("logs.session.rotate-sise", e.keyPath());
        assertTrue(e.getMessage().contains("did you mean rotate-size?"), e.getMessage());
    }

    @Test
    void theAccessLogsFormatKeyIsNotASessionLogKey() {
        ConfigException e = refused("logs:\n  session:\n    format: \"%<chi>\"\n");
        assertEquals(3, e.line());
        assertEquals("logs.session.format", e.keyPath());
    }

    @Test
    void badValuesAreRefusedAtTheirLine() {
        assertEquals(3, refused("logs:\n  session:\n    enabled: yes\n").line());
        assertEquals(4, refused("logs:\n  session:\n    enabled: true\n    rotate-size: lots\n").line());
        assertEquals(3, refused("logs:\n  session:\n    rotate-interval: 30\n").line());
        assertEquals(3, refused("logs:\n  session:\n    queue-lines: many\n").line());
        assertEquals(3, refused("logs:\n  session:\n    path: [a, b]\n").line());
        assertEquals(2, refused("logs:\n  session: [1]\n").line());
    }

    @Test
    void valuesTheRecordRefusesPointAtTheirKey() {
        ConfigException keep = refused("logs:\n  session:\n    enabled: true\n    keep: -1\n");
        assertEquals(4, keep.line());
        assertEquals("logs.session.keep", keep.keyPath());
        assertEquals("keep must not be negative", keep.sentence());

        ConfigException queue = refused("logs:\n  session:\n    queue-lines: 0\n");
        assertEquals(3, queue.line());
        assertEquals("logs.session.queue-lines", queue.keyPath());

        ConfigException empty = refused("logs:\n  session:\n    enabled: true\n    path: \"\"\n");
        assertEquals(4, empty.line());
        assertEquals("logs.session.path", empty.keyPath());

        ConfigException root = refused("logs:\n  session:\n    path: /\n");
        assertEquals(3, root.line());
        assertEquals("logs.session.path", root.keyPath());
    }

    @Test
    void theCoreReaderLeavesTheSessionSectionToTheGateway() {
        ConfigSection root = ConfigDocument.parse("conf/gateway.yaml",
                "logs:\n  session:\n    keep: 2\n").root();
        CoreConfigReader.read(root);
        assertEquals(2, SessionLogConfigReader.read(sessionOf(root)).keepFiles());
    }

    @Test
    void theShippedGatewayYamlGivesExactlyTheDefaults() {
        ConfigSection root = ConfigDocument.load(shippedFile()).root();
        assertEquals(SessionLogConfig.defaults(), SessionLogConfigReader.read(sessionOf(root)));
    }

    /** Surefire runs in the module directory; the file sits at the project root. */
    private static Path shippedFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("conf/gateway.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("conf/gateway.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
