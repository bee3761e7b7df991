package dev.muxgate.httpcore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The shipped conf/gateway.yaml spells out every default; this keeps it and
 * {@link CoreConfig#defaults()} from drifting apart.
 */
class GatewayYamlTest {

    @Test
    void shippedGatewayYamlGivesExactlyTheRecordDefaults() {
        ConfigDocument document = ConfigDocument.load(shippedFile());
        assertEquals(CoreConfig.defaults(), CoreConfigReader.read(document.root()));
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
