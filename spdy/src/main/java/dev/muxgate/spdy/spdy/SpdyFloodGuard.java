package dev.muxgate.spdy.spdy;

/**
 * Counts what a SPDY client can make a server do for free (resets, PINGs, SETTINGS, control frames
 * answered while it does not read) and says when a session has had too many. The rates are counted
 * in fixed windows; the control-frame backlog counts frames written while the connection is not
 * writable and restarts when it drains. Touched only on the session's event loop.
 */
final class SpdyFloodGuard {

    /**
     * RST_STREAMs naming a stream that has already ended are allowed this many times the reset
     * limit. SPDY/3.1 (2.4.2) makes a client answer every DATA frame of a stream it no longer
     * has with RST_STREAM(INVALID_STREAM), and Node's spdy-transport does: each stream it cancels
     * echoes one reset per frame still in flight, which the reset limit must not mistake for a
     * rapid-reset attack. They cost a map look-up each and are still bounded.
     */
    static final int STRAY_RESET_FACTOR = 32;

    private final SpdyLimits limits;
    private final long windowNanos;
    private long windowStart;
    private int resets;
    private int strayResets;
    private int pings;
    private int settings;
    private int queuedControlFrames;

    SpdyFloodGuard(SpdyLimits limits, long nowNanos) {
        this.limits = limits;
        this.windowNanos = limits.floodWindow().toNanos();
        this.windowStart = nowNanos;
    }

    /** A reset received or sent; null while within the limit, else the reason to end the session. */
    SpdySessionException reset(long nowNanos) {
        roll(nowNanos);
        return ++resets > limits.maxResetsPerWindow()
                ? new SpdySessionException(SpdySessionException.Kind.RST_FLOOD,
                        "more than " + limits.maxResetsPerWindow() + " stream resets in " + limits.floodWindow())
                : null;
    }

    /** A reset received for a stream that has already ended; see {@link #STRAY_RESET_FACTOR}. */
    SpdySessionException strayReset(long nowNanos) {
        roll(nowNanos);
        long limit = (long) limits.maxResetsPerWindow() * STRAY_RESET_FACTOR;
        return ++strayResets > limit
                ? new SpdySessionException(SpdySessionException.Kind.RST_FLOOD,
                        "more than " + limit + " resets of ended streams in " + limits.floodWindow())
                : null;
    }

    SpdySessionException ping(long nowNanos) {
        roll(nowNanos);
        return ++pings > limits.maxPingsPerWindow()
                ? new SpdySessionException(SpdySessionException.Kind.FRAME_FLOOD,
                        "more than " + limits.maxPingsPerWindow() + " PING frames in " + limits.floodWindow())
                : null;
    }

    SpdySessionException settings(long nowNanos) {
        roll(nowNanos);
        return ++settings > limits.maxSettingsPerWindow()
                ? new SpdySessionException(SpdySessionException.Kind.FRAME_FLOOD,
                        "more than " + limits.maxSettingsPerWindow() + " SETTINGS frames in " + limits.floodWindow())
                : null;
    }

    /** A control frame written while the connection was not writable. */
    SpdySessionException controlFrameQueued() {
        return ++queuedControlFrames > limits.maxQueuedControlFrames()
                ? new SpdySessionException(SpdySessionException.Kind.FRAME_FLOOD,
                        "more than " + limits.maxQueuedControlFrames() + " control frames queued for a client that does not read")
                : null;
    }

    /** The connection drained: the backlog is gone. */
    void drained() {
        queuedControlFrames = 0;
    }

    private void roll(long nowNanos) {
        if (nowNanos - windowStart >= windowNanos) {
            windowStart = nowNanos;
            resets = 0;
            strayResets = 0;
            pings = 0;
            settings = 0;
        }
    }
}
