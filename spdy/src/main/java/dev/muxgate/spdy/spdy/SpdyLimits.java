package dev.muxgate.spdy.spdy;

import java.time.Duration;

/**
 * What one SPDY/3.1 or SPDY/3 client session may do: the settings it is sent, the windows it is
 * granted, and the flood thresholds past which the session ends with GOAWAY. Netty's SPDY codec
 * has no abuse guards of its own, so every threshold here is enforced by {@link SpdyFloodGuard}.
 * Validated when built; defaults mirror {@code conf/gateway.yaml}.
 *
 * @param maxConcurrentStreams    SETTINGS_MAX_CONCURRENT_STREAMS; a SYN_STREAM past it is refused
 * @param maxHeaderBlockBytes     decoded name and value bytes of one header block (a larger block is
 *                                refused with RST_STREAM); a block that inflates past 16 times this
 *                                ends the session (zlib bomb)
 * @param initialWindowBytes      SETTINGS_INITIAL_WINDOW_SIZE: the most request body one stream
 *                                buffers before the core reads it
 * @param sessionWindowBytes      the SPDY/3.1 session receive window (not used by SPDY/3)
 * @param maxResetsPerWindow      RST_STREAM received plus sent per {@code floodWindow}
 * @param maxPingsPerWindow       PING frames received per {@code floodWindow}
 * @param maxSettingsPerWindow    SETTINGS frames received per {@code floodWindow}
 * @param floodWindow             the window of the three rate limits
 * @param maxQueuedControlFrames  control frames (PING replies, resets, window updates) written while
 *                                the client does not read
 * @param idleTimeout             a session with no open stream and no traffic this long gets GOAWAY
 */
public record SpdyLimits(
        int maxConcurrentStreams,
        int maxHeaderBlockBytes,
        int initialWindowBytes,
        int sessionWindowBytes,
        int maxResetsPerWindow,
        int maxPingsPerWindow,
        int maxSettingsPerWindow,
        Duration floodWindow,
        int maxQueuedControlFrames,
        Duration idleTimeout) {

    /** The window every SPDY/3 peer starts with (SPDY/3 section 2.6.8, SPDY/3.1 section 2.6.8). */
    public static final int DEFAULT_WINDOW = 64 * 1024;

    public SpdyLimits {
        positive("max-concurrent-streams", maxConcurrentStreams);
        if (maxHeaderBlockBytes < 1024 || maxHeaderBlockBytes > 1024 * 1024) {
            throw new IllegalArgumentException("max-header-block-bytes must be 1k..1m, got " + maxHeaderBlockBytes);
        }
        window("initial-window-bytes", initialWindowBytes);
        window("session-window-bytes", sessionWindowBytes);
        positive("max-resets-per-window", maxResetsPerWindow);
        positive("max-pings-per-window", maxPingsPerWindow);
        positive("max-settings-per-window", maxSettingsPerWindow);
        duration("flood-window", floodWindow);
        positive("max-queued-control-frames", maxQueuedControlFrames);
        duration("idle-timeout", idleTimeout);
    }

    public static SpdyLimits defaults() {
        return new SpdyLimits(100, 16 * 1024, 256 * 1024, 1024 * 1024, 200, 1000, 100,
                Duration.ofSeconds(30), 10_000, Duration.ofMinutes(2));
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    private static void window(String key, int value) {
        // SPDY windows are 31-bit; below the default a client could not even send its first frame.
        if (value < DEFAULT_WINDOW || value > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(key + " must be 64k..2g, got " + value);
        }
    }

    private static void duration(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be a positive duration, got " + value);
        }
    }
}
