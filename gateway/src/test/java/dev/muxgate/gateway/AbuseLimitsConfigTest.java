package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.frontdoor.ConnectionCapsConfig;
import dev.muxgate.httpcore.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The abuse limits added for issue 6 read from the file, with their defaults and checks. */
class AbuseLimitsConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws Exception {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return GatewayConfig.load(file);
    }

    @Test
    void connectionCapsAndControlFrameBudgetAreRead() throws Exception {
        GatewayConfig c = load("connections:\n  max: 50\n  max-per-client: 7\nh2:\n  max-control-frames-per-request: 33\n");
        assertEquals(new ConnectionCapsConfig(50, 7), c.connections());
        assertEquals(33, c.h2().maxControlFramesPerRequest());
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        GatewayConfig c = load("node-id: 0\n");
        assertEquals(ConnectionCapsConfig.defaults(), c.connections());
        assertEquals(1000, c.h2().maxControlFramesPerRequest());
    }

    @Test
    void aPerClientCapAboveTheTotalIsRefusedWithTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("connections:\n  max: 5\n  max-per-client: 6\n"));
        assertTrue(e.getMessage().contains("connections"), e.getMessage());
    }
}
