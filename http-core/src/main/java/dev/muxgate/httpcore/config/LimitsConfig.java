package dev.muxgate.httpcore.config;

import java.time.Duration;

/**
 * Limits on everything a client of the core controls. Each breach is answered with its own status
 * (414, 431, 413, 408) and logged.
 *
 * @param requestLineBytes   longest request line (414 past it)
 * @param headerBytes        largest header block (431 past it)
 * @param headerCount        most header fields in one request (431 past it)
 * @param requestBodyBytes   largest request body (413 past it)
 * @param headerTimeout      from the first byte of a request (or the end of the previous one)
 *                           to its complete header block (408 past it)
 * @param bodyTimeout        longest pause between two pieces of a request body (408 past it)
 * @param idleTimeout        longest quiet time of a kept-alive connection between requests
 * @param pipelinedRequests  most requests queued behind the one being answered
 * @param bodyMinRate        bytes a second a request body must average once it has had
 *                           {@code bodyTimeout} (408 past it), so a body trickled a byte at a
 *                           time cannot hold a connection for ever; 0 turns it off
 */
public record LimitsConfig(
        int requestLineBytes,
        int headerBytes,
        int headerCount,
        long requestBodyBytes,
        Duration headerTimeout,
        Duration bodyTimeout,
        Duration idleTimeout,
        int pipelinedRequests,
        long bodyMinRate) {

    /** The default of {@code body-min-rate}, bytes a second. */
    public static final long DEFAULT_BODY_MIN_RATE = 256;

    /** All limits but the body rate, which takes its default. */
    public LimitsConfig(int requestLineBytes, int headerBytes, int headerCount, long requestBodyBytes,
                        Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int pipelinedRequests) {
        this(requestLineBytes, headerBytes, headerCount, requestBodyBytes, headerTimeout, bodyTimeout, idleTimeout,
                pipelinedRequests, DEFAULT_BODY_MIN_RATE);
    }

    public LimitsConfig {
        positive("request-line-bytes", requestLineBytes);
        positive("header-bytes", headerBytes);
        positive("header-count", headerCount);
        positive("request-body-bytes", requestBodyBytes);
        positive("header-timeout", headerTimeout);
        positive("body-timeout", bodyTimeout);
        positive("idle-timeout", idleTimeout);
        positive("pipelined-requests", pipelinedRequests);
        if (bodyMinRate < 0) {
            throw new IllegalArgumentException("body-min-rate must not be negative, got " + bodyMinRate);
        }
    }

    public static LimitsConfig defaults() {
        return new LimitsConfig(
                8 * 1024,
                32 * 1024,
                100,
                1024L * 1024 * 1024,
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                16,
                DEFAULT_BODY_MIN_RATE);
    }

    /** A copy with another body rate; for tests. */
    public LimitsConfig withBodyMinRate(long bytesPerSecond) {
        return new LimitsConfig(requestLineBytes, headerBytes, headerCount, requestBodyBytes, headerTimeout,
                bodyTimeout, idleTimeout, pipelinedRequests, bytesPerSecond);
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + value);
        }
    }
}
