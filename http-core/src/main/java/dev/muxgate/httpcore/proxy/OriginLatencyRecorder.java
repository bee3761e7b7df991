package dev.muxgate.httpcore.proxy;

/**
 * Hears how long each origin took to answer (from asking the pool for a connection to the
 * response head) and how it ended: {@code ok}, {@code connect_error}, {@code timeout},
 * {@code busy} or {@code error}. Called on event loops: must be cheap and never block.
 */
@FunctionalInterface
public interface OriginLatencyRecorder {

    OriginLatencyRecorder NONE = (nanos, outcome) -> { };

    void record(long nanos, String outcome);
}
