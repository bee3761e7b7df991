package dev.muxgate.httpcore.config;

import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import java.util.Objects;

/**
 * The core's own plain HTTP listener. {@code enabled == false} keeps the core reachable only
 * through plugin connections. {@code proxyProtocol} says whether its connections start with a
 * PROXY protocol header from a balancer.
 */
public record ListenerConfig(boolean enabled, String host, int port, ProxyProtocolConfig proxyProtocol) {

    public ListenerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("listener host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listener port must be 0..65535, got " + port);
        }
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /** A listener without the PROXY protocol. */
    public ListenerConfig(boolean enabled, String host, int port) {
        this(enabled, host, port, ProxyProtocolConfig.off());
    }

    public static ListenerConfig defaults() {
        return new ListenerConfig(true, "0.0.0.0", 8080);
    }
}
