package dev.muxgate.gateway.admin;

import java.util.function.LongSupplier;

/**
 * What {@code /sessions} shows of one live client session. A view, read from the admin endpoint's
 * thread while the session runs on its own event loop: implementations return the latest values
 * they have, without locking. The gateway adapts its session state to it (the getters match
 * {@code SessionContext}'s).
 */
public interface LiveSession {

    /** The session number (never 0), as in the access log's {@code piid} and the session log. */
    long number();

    /** The negotiated protocol, e.g. {@code h2}; null while not yet negotiated. */
    String protocol();

    /** The client's IP address as the access log spells it ({@code chi}), or null if unknown. */
    String clientIp();

    /** The client's port; meaningless when {@link #clientIp()} is null. */
    int clientPort();

    /** Streams open now. */
    long openStreams();

    /** {@link System#nanoTime()} when the session started, for its age. */
    long startNanos();

    /** A view of fixed facts and a live count of open streams. */
    public static LiveSession of(long number, String protocol, String clientIp, int clientPort, long startNanos,
                          LongSupplier openStreams) {
        return new Fixed(number, protocol, clientIp, clientPort, startNanos, openStreams);
    }

    /** The view {@link #of} returns. */
    record Fixed(long number, String protocol, String clientIp, int clientPort, long startNanos,
                 LongSupplier streams) implements LiveSession {
        @Override
        public long openStreams() {
            return streams.getAsLong();
        }
    }
}
