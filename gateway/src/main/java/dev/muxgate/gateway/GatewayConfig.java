package dev.muxgate.gateway;

import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigSection;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.CoreConfigReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The whole configuration file: the core's sections now; TLS, admin and metrics join as the
 * gateway grows. The gateway owns the root, so it is the one that rejects unknown top-level keys.
 */
public record GatewayConfig(Path source, CoreConfig core) {

    static final Set<String> TOP_LEVEL_KEYS = CoreConfigReader.TOP_LEVEL_KEYS;

    /** Loads {@code file}; a missing default file means the built-in defaults. */
    public static GatewayConfig load(Path file) {
        if (!Files.exists(file) && file.equals(Path.of("conf/gateway.yaml"))) {
            return new GatewayConfig(file, CoreConfig.defaults());
        }
        ConfigSection root = ConfigDocument.load(file).root();
        root.rejectUnknownKeys(TOP_LEVEL_KEYS);
        return new GatewayConfig(file, CoreConfigReader.read(root));
    }
}
