package dev.muxgate.httpcore.config;

/**
 * The core's own plain HTTP listener. {@code enabled == false} keeps the core reachable only
 * through plugin connections.
 */
public record ListenerConfig(boolean enabled, String host, int port) {

    public ListenerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("listener host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener port must be 0..65535, got " + port);
        }
    }

    public static ListenerConfig defaults() {
        return new ListenerConfig(true, "0.0.0.0", 8080);
    }
}
