package dev.muxgate.httpcore.config;

import java.time.Duration;

/**
 * How the core talks to origins: connect and response time-outs, the keep-alive pool kept per
 * origin, and TLS to {@code https://} origins.
 *
 * @param connectTimeout           a connect that takes longer fails with 502
 * @param responseTimeout          longest wait for the origin's response head, or between two
 *                                 pieces of its body (504 when nothing was sent yet)
 * @param maxConnectionsPerOrigin  open connections (busy and idle) per origin and event loop
 * @param idleTimeout              a pooled connection unused for longer is closed
 * @param maxWaiters               requests waiting for a connection of a full origin (503 past it)
 * @param tls                      trust and client certificate for {@code https://} origins
 */
public record OriginPoolConfig(
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnectionsPerOrigin,
        Duration idleTimeout,
        int maxWaiters,
        OriginTlsConfig tls) {

    public OriginPoolConfig(Duration connectTimeout, Duration responseTimeout, int maxConnectionsPerOrigin,
                            Duration idleTimeout, int maxWaiters) {
        this(connectTimeout, responseTimeout, maxConnectionsPerOrigin, idleTimeout, maxWaiters,
                OriginTlsConfig.SYSTEM_TRUST);
    }

    public OriginPoolConfig {
        java.util.Objects.requireNonNull(tls, "tls");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect-timeout must be a positive duration");
        }
        if (responseTimeout == null || responseTimeout.isNegative() || responseTimeout.isZero()) {
            throw new IllegalArgumentException("response-timeout must be a positive duration");
        }
        if (maxConnectionsPerOrigin <= 0) {
            throw new IllegalArgumentException("max-connections-per-origin must be positive");
        }
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle-timeout must be a positive duration");
        }
        if (maxWaiters < 0) {
            throw new IllegalArgumentException("max-waiters must not be negative");
        }
    }

    public static OriginPoolConfig defaults() {
        return new OriginPoolConfig(
                Duration.ofSeconds(5), Duration.ofSeconds(30), 256, Duration.ofSeconds(60), 1024);
    }
}
