package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigException;
import org.junit.jupiter.api.Test;

class AdminConfigReaderTest {

    private static AdminConfig read(String yaml) {
        return AdminConfigReader.read(ConfigDocument.parse("conf/gateway.yaml", yaml).root()
                .optionalSection(AdminConfigReader.SECTION));
    }

    private static String refused(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml)).getMessage();
    }

    @Test
    void anAbsentOrEmptySectionGivesTheDefaults() {
        assertEquals(AdminConfig.defaults(), read("tls: {}\n"));
        assertEquals(AdminConfig.defaults(), read("admin:\n"));
        assertEquals(new AdminConfig(true, "127.0.0.1", 9090), AdminConfig.defaults());
    }

    @Test
    void everyKeyIsRead() {
        assertEquals(new AdminConfig(false, "::1", 9191),
                read("admin:\n  enabled: false\n  host: \"::1\"\n  port: 9191\n"));
        assertEquals(new AdminConfig(true, "0.0.0.0", 0),
                read("admin:\n  host: 0.0.0.0\n  port: 0\n  allow-remote: true\n"));
    }

    @Test
    void aRemoteAddressNeedsAllowRemote() {
        String message = refused("admin:\n  host: 0.0.0.0\n");
        assertTrue(message.contains("conf/gateway.yaml"), message);
        assertTrue(message.contains("admin.host"), message);
        assertTrue(message.contains("allow-remote: true"), message);
        assertTrue(refused("admin:\n  host: admin.example.com\n").contains("not a loopback address"));
        assertTrue(refused("admin:\n  host: 10.0.0.1\n  allow-remote: false\n").contains("allow-remote"));
        // Switched off, where it would listen does not matter.
        assertFalse(read("admin:\n  enabled: false\n  host: 0.0.0.0\n").enabled());
    }

    @Test
    void loopbackMeansLocalhostOrALoopbackLiteral() {
        for (String host : new String[] {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST"}) {
            assertTrue(AdminConfigReader.isLoopback(host), host);
        }
        for (String host : new String[] {"0.0.0.0", "::", "10.0.0.1", "192.168.1.1", "example.com", "127.0.0.1.nip.io"}) {
            assertFalse(AdminConfigReader.isLoopback(host), host);
        }
    }

    @Test
    void badValuesAndUnknownKeysNameFileLineAndKey() {
        String port = refused("admin:\n  port: 70000\n");
        assertTrue(port.contains("conf/gateway.yaml") && port.contains("admin.port") && port.contains("0 to 65535"), port);
        ConfigException remote = assertThrows(ConfigException.class,
                () -> read("# admin\nadmin:\n  port: 9090\n  host: 0.0.0.0\n"));
        assertEquals(4, remote.line());
        assertEquals("admin.host", remote.keyPath());
        assertTrue(refused("admin:\n  enabled: yes\n").contains("true or false"));
        assertTrue(refused("admin:\n  port: nine\n").contains("admin.port"));
        assertTrue(refused("admin:\n  host: \"  \"\n").contains("admin.host"));
        assertTrue(refused("admin:\n  prot: 9090\n").contains("did you mean port?"));
        assertTrue(refused("admin:\n  allow_remote: true\n").contains("allow-remote"));
        assertTrue(refused("admin: 9090\n").contains("expected a mapping"));
    }
}
