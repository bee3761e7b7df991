package dev.muxgate.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.muxgate.httpcore.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Coverage-guided fuzzing of the whole configuration loader ({@link GatewayConfig#load}, every
 * section: tls, h2, spdy, connections, warm-up, admin, logs, remap, ...): any file must give a
 * configuration or a {@link ConfigException}, which {@code Main} prints as one line naming the
 * file, the line and the key before exit status 2. Any other exception is a finding: it would
 * reach the operator as a stack trace.
 */
class GatewayConfigFuzzTest {

    private static final Path FILE = temporaryFile();

    @FuzzTest(maxDuration = "10s", maxExecutions = 50000)
    void anyFileGivesAConfigurationOrOneClearError(byte[] data) throws IOException {
        Files.write(FILE, data);
        try {
            GatewayConfig.load(FILE);
        } catch (ConfigException bad) {
            if (!bad.getMessage().startsWith(FILE.toString())) {
                throw new AssertionError("the message does not name the file: " + bad.getMessage(), bad);
            }
        }
    }

    private static Path temporaryFile() {
        try {
            Path file = Files.createTempFile("muxgate-fuzz", ".yaml");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
