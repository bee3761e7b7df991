package dev.muxgate.spdy.h2;

/**
 * What one HTTP/2 client session may do: advertised settings and the abuse thresholds past which
 * Netty's codec ends the session with GOAWAY. Validated when built; defaults mirror
 * {@code conf/gateway.yaml}.
 *
 * @param maxConcurrentStreams      SETTINGS_MAX_CONCURRENT_STREAMS
 * @param maxHeaderListBytes        SETTINGS_MAX_HEADER_LIST_SIZE (larger blocks: 431 or reset)
 * @param initialWindowBytes        SETTINGS_INITIAL_WINDOW_SIZE for request bodies
 * @param maxResetsPerWindow        resets received, and sent, per {@code resetWindowSeconds} (rapid reset)
 * @param resetWindowSeconds        the window of the reset limit
 * @param maxQueuedControlFrames    control frames queued for a client that does not read (floods)
 * @param maxEmptyDataFrames        consecutive empty DATA frames
 * @param maxSmallContinuations     small CONTINUATION frames in one header block
 * @param idleTimeout               a session with no open stream and no traffic this long gets
 *                                  GOAWAY and is closed
 * @param maxControlFramesPerRequest PRIORITY, SETTINGS and PING frames a client may send between
 *                                  two requests (a flood of frames that serve nobody)
 * @param stalledStreamTimeout      a stream whose response cannot be sent this long (the client's
 *                                  window stays shut, or it does not read) is reset
 */
public record H2Limits(
        int maxConcurrentStreams,
        int maxHeaderListBytes,
        int initialWindowBytes,
        int maxResetsPerWindow,
        int resetWindowSeconds,
        int maxQueuedControlFrames,
        int maxEmptyDataFrames,
        int maxSmallContinuations,
        java.time.Duration idleTimeout,
        int maxControlFramesPerRequest,
        java.time.Duration stalledStreamTimeout) {

    public H2Limits {
        positive("max-concurrent-streams", maxConcurrentStreams);
        positive("max-header-list-bytes", maxHeaderListBytes);
        if (initialWindowBytes < 1024 || initialWindowBytes > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException("initial-window-bytes must be 1k..2g, got " + initialWindowBytes);
        }
        positive("max-resets-per-window", maxResetsPerWindow);
        positive("reset-window", resetWindowSeconds);
        positive("max-queued-control-frames", maxQueuedControlFrames);
        positive("max-empty-data-frames", maxEmptyDataFrames);
        positive("max-small-continuations", maxSmallContinuations);
        if (idleTimeout == null || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idle-timeout must be a positive duration, got " + idleTimeout);
        }
        positive("max-control-frames-per-request", maxControlFramesPerRequest);
        if (stalledStreamTimeout == null || stalledStreamTimeout.isNegative() || stalledStreamTimeout.isZero()) {
            throw new IllegalArgumentException("stalled-stream-timeout must be a positive duration, got "
                    + stalledStreamTimeout);
        }
    }

    /** A copy with another idle time-out; for tests. */
    public H2Limits withIdleTimeout(java.time.Duration timeout) {
        return new H2Limits(maxConcurrentStreams, maxHeaderListBytes, initialWindowBytes, maxResetsPerWindow,
                resetWindowSeconds, maxQueuedControlFrames, maxEmptyDataFrames, maxSmallContinuations, timeout,
                maxControlFramesPerRequest, stalledStreamTimeout);
    }

    /** A copy with another stalled-stream time-out; for tests. */
    public H2Limits withStalledStreamTimeout(java.time.Duration timeout) {
        return new H2Limits(maxConcurrentStreams, maxHeaderListBytes, initialWindowBytes, maxResetsPerWindow,
                resetWindowSeconds, maxQueuedControlFrames, maxEmptyDataFrames, maxSmallContinuations, idleTimeout,
                maxControlFramesPerRequest, timeout);
    }

    public static H2Limits defaults() {
        return new H2Limits(100, 16 * 1024, 1024 * 1024, 200, 30, 10_000, 2, 16, java.time.Duration.ofMinutes(2), 1000,
                java.time.Duration.ofSeconds(60));
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
