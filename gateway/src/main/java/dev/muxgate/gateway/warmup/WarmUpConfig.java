package dev.muxgate.gateway.warmup;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the gateway exercises itself before its listeners open: {@code requests} HTTP/2
 * requests and {@code handshakes} brief sessions (one full TLS handshake and one request each)
 * through a throwaway copy of itself, stopping early at {@code maxTime}. Zero requests turns
 * warm-up off.
 */
public record WarmUpConfig(int requests, int handshakes, Duration maxTime) {

    public static final int MAX_REQUESTS = 10_000_000;
    public static final int MAX_HANDSHAKES = 1_000_000;

    public WarmUpConfig {
        if (requests < 0 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("requests must be 0.." + MAX_REQUESTS + ", got " + requests);
        }
        if (handshakes < 0 || handshakes > MAX_HANDSHAKES) {
            throw new IllegalArgumentException("handshakes must be 0.." + MAX_HANDSHAKES + ", got " + handshakes);
        }
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxTime.isNegative() || maxTime.isZero() && requests > 0) {
            throw new IllegalArgumentException("max-time must be positive when requests is not 0");
        }
    }

    /**
     * Handshakes by default. Per-connection code runs once per handshake, and with
     * {@code -XX:-TieredCompilation} a method is interpreted for its first 10,000 calls, so about
     * 1,000 warm-up handshakes left the first real ones on cold code (0.53x nginx's per CPU-second
     * in the harness, against 0.76x after 12,000). The default fits the default max-time on one core.
     */
    public static final int DEFAULT_HANDSHAKES = 4_000;

    /** As the shipped configuration has it: enough for the JIT to compile the request path. */
    public static WarmUpConfig defaults() {
        return new WarmUpConfig(30_000, DEFAULT_HANDSHAKES, Duration.ofSeconds(20));
    }

    public static WarmUpConfig off() {
        return new WarmUpConfig(0, 0, Duration.ZERO);
    }

    public boolean enabled() {
        return requests > 0;
    }
}
