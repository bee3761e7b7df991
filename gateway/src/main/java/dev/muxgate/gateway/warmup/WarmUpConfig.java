package dev.muxgate.gateway.warmup;

import java.time.Duration;
import java.util.Objects;

/**
 * How hard the gateway exercises itself before its listeners open: {@code requests} HTTP/2
 * requests through a throwaway copy of itself, stopping early at {@code maxTime}. Zero requests
 * turns warm-up off.
 */
public record WarmUpConfig(int requests, Duration maxTime) {

    public static final int MAX_REQUESTS = 10_000_000;

    public WarmUpConfig {
        if (requests < 0 || requests > MAX_REQUESTS) {
            throw new IllegalArgumentException("requests must be 0.." + MAX_REQUESTS + ", got " + requests);
        }
        Objects.requireNonNull(maxTime, "maxTime");
        if (maxTime.isNegative() || maxTime.isZero() && requests > 0) {
            throw new IllegalArgumentException("max-time must be positive when requests is not 0");
        }
    }

    /** As the shipped configuration has it: enough for the JIT to compile the request path. */
    public static WarmUpConfig defaults() {
        return new WarmUpConfig(30_000, Duration.ofSeconds(20));
    }

    public static WarmUpConfig off() {
        return new WarmUpConfig(0, Duration.ZERO);
    }

    public boolean enabled() {
        return requests > 0;
    }
}
