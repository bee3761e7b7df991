package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.spdy.spdy.SpdyLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code spdy:} section: every key read, defaults when absent, bad values named with file and line. */
class SpdyConfigTest {

    @TempDir
    Path dir;

    private GatewayConfig load(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return GatewayConfig.load(file);
    }

    private String refused(String yaml) throws IOException {
        Path file = dir.resolve("gateway.yaml");
        Files.writeString(file, yaml);
        return assertThrows(ConfigException.class, () -> GatewayConfig.load(file)).getMessage();
    }

    @Test
    void anAbsentSectionGivesTheDefaults() throws IOException {
        assertEquals(SpdyLimits.defaults(), load("node-id: 1\n").spdy());
        assertEquals(SpdyLimits.defaults(), load("spdy:\n").spdy());
    }

    @Test
    void everyKeyIsRead() throws IOException {
        SpdyLimits read = load("""
                spdy:
                  max-concurrent-streams: 7
                  max-header-block-bytes: 32k
                  initial-window-bytes: 128k
                  session-window-bytes: 4m
                  max-resets-per-window: 11
                  max-pings-per-window: 12
                  max-settings-per-window: 13
                  flood-window: 5s
                  max-queued-control-frames: 14
                  idle-timeout: 3m
                """).spdy();
        assertEquals(new SpdyLimits(7, 32 * 1024, 128 * 1024, 4 * 1024 * 1024, 11, 12, 13,
                Duration.ofSeconds(5), 14, Duration.ofMinutes(3)), read);
    }

    @Test
    void badValuesAreRefusedWithTheFileLineAndKey() throws IOException {
        String unknown = refused("spdy:\n  max-streams: 5\n");
        assertTrue(unknown.contains("gateway.yaml") && unknown.contains("max-streams"), unknown);
        String small = refused("node-id: 0\nspdy:\n  initial-window-bytes: 1k\n");
        assertTrue(small.contains("gateway.yaml:2: spdy") && small.contains("initial-window-bytes") && small.contains("64k"), small);
        String notSize = refused("spdy:\n  max-header-block-bytes: lots\n");
        assertTrue(notSize.contains("max-header-block-bytes"), notSize);
        String zero = refused("spdy:\n  max-concurrent-streams: 0\n");
        assertTrue(zero.contains("max-concurrent-streams"), zero);
    }
}
