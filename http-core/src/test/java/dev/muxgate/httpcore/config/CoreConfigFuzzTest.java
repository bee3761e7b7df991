package dev.muxgate.httpcore.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzzing of the core's configuration loader: any text, read as the YAML file
 * {@code fuzz.yaml} and then as the core's sections (listeners, limits, origins, remap, logs),
 * must give a configuration or a {@link ConfigException} (one sentence naming the file, the line
 * and the key). Any other exception is a finding.
 */
class CoreConfigFuzzTest {

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void anyTextGivesAConfigurationOrOneClearError(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            ConfigSection root = ConfigDocument.parse("fuzz.yaml", text).root();
            CoreConfigReader.read(root);
        } catch (ConfigException bad) {
            if (!bad.getMessage().startsWith("fuzz.yaml")) {
                throw new AssertionError("the message does not name the file: " + bad.getMessage(), bad);
            }
        }
    }
}
