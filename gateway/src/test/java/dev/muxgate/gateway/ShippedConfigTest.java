package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The shipped conf/gateway.yaml is the defaults, written out: one place, mirrored by the records. */
class ShippedConfigTest {

    @Test
    void shippedFileReadsAsTheBuiltInDefaults() {
        Path file = shippedFile();
        assertEquals(GatewayConfig.defaults(file), GatewayConfig.load(file));
    }

    private static Path shippedFile() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("conf/gateway.yaml");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError("conf/gateway.yaml not found");
    }
}
