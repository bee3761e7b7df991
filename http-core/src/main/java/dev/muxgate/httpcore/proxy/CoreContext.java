package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.origin.OriginPools;
import dev.muxgate.httpcore.origin.Remapper;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one core shares: config, remap, origin pools, log, and counters. One
 * per configuration generation: a reload builds a new one ({@link #next}) and each connection keeps
 * the one it was accepted with until it closes, so a transaction never sees two configurations.
 * A generation is held by the core while it is current and by each of its connections; when the
 * last hold goes, whatever it alone owned (origin pools a reload replaced) is closed.
 */
final class CoreContext {

    static final String VIA_NAME = "muxgate";

    final CoreConfig config;
    final Remapper remapper;
    final OriginPools origins;
    final AccessLog accessLog;
    final RequestCheck requestCheck;
    final CoreStats stats;
    final OriginLatencyRecorder originLatency;
    private final AtomicLong connectionIds;
    private final AtomicLong requestIds;
    /** Each event loop's time-out wheel, shared by the generations (loops outlive them). */
    private final ConcurrentMap<EventExecutor, LoopTimeouts> timeouts;
    /** The core's own hold (while current) plus one per open connection; 0 means retired for good. */
    private final AtomicInteger holds = new AtomicInteger(1);
    private volatile Runnable onRetired = () -> { };

    CoreContext(CoreConfig config, OriginPools origins, AccessLog accessLog, CoreStats stats) {
        this(config, origins, accessLog, stats, OriginLatencyRecorder.NONE);
    }

    CoreContext(CoreConfig config, OriginPools origins, AccessLog accessLog, CoreStats stats,
                OriginLatencyRecorder originLatency) {
        this(config, origins, accessLog, stats, originLatency, new AtomicLong(), new AtomicLong(),
                new ConcurrentHashMap<>());
    }

    private CoreContext(CoreConfig config, OriginPools origins, AccessLog accessLog, CoreStats stats,
                        OriginLatencyRecorder originLatency, AtomicLong connectionIds, AtomicLong requestIds,
                        ConcurrentMap<EventExecutor, LoopTimeouts> timeouts) {
        this.originLatency = originLatency;
        this.config = config;
        this.remapper = new Remapper(config.remap());
        this.origins = origins;
        this.accessLog = accessLog;
        this.requestCheck = new RequestCheck(config.limits(), VIA_NAME);
        this.stats = stats;
        this.connectionIds = connectionIds;
        this.requestIds = requestIds;
        this.timeouts = timeouts;
    }

    /** The next generation: new settings, the same counters (ids stay unique across reloads). */
    CoreContext next(CoreConfig newConfig, OriginPools newOrigins, AccessLog newAccessLog) {
        return new CoreContext(newConfig, newOrigins, newAccessLog, stats, originLatency, connectionIds, requestIds,
                timeouts);
    }

    /** The time-out wheel of {@code loop}; call it on that loop. */
    LoopTimeouts timeouts(EventExecutor loop) {
        LoopTimeouts wheel = timeouts.get(loop);
        return wheel != null ? wheel : timeouts.computeIfAbsent(loop, LoopTimeouts::new);
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** Takes a hold for a new connection; false once the generation has retired (take the next one). */
    boolean tryHold() {
        int n;
        do {
            n = holds.get();
            if (n == 0) {
                return false;
            }
        } while (!holds.compareAndSet(n, n + 1));
        return true;
    }

    /** Gives a hold back; the last one runs what {@link #retire} was given. */
    void release() {
        if (holds.decrementAndGet() == 0) {
            onRetired.run();
        }
    }

    /**
     * The core lets go of this generation (a newer one is current): once its last connection has
     * closed, {@code then} runs, on whichever thread closed it (so it must not block).
     */
    void retire(Runnable then) {
        onRetired = then;
        release();
    }
}
