package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.origin.OriginPools;
import dev.muxgate.httpcore.origin.Remapper;
import java.util.concurrent.atomic.AtomicLong;

/** What every connection of one core shares: config, remap, origin pools, log, and counters. */
final class CoreContext {

    static final String VIA_NAME = "muxgate";

    final CoreConfig config;
    final Remapper remapper;
    final OriginPools origins;
    final AccessLog accessLog;
    final RequestCheck requestCheck;
    final CoreStats stats;
    final OriginLatencyRecorder originLatency;
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicLong requestIds = new AtomicLong();

    CoreContext(CoreConfig config, OriginPools origins, AccessLog accessLog, CoreStats stats) {
        this(config, origins, accessLog, stats, OriginLatencyRecorder.NONE);
    }

    CoreContext(CoreConfig config, OriginPools origins, AccessLog accessLog, CoreStats stats,
                OriginLatencyRecorder originLatency) {
        this.originLatency = originLatency;
        this.config = config;
        this.remapper = new Remapper(config.remap());
        this.origins = origins;
        this.accessLog = accessLog;
        this.requestCheck = new RequestCheck(config.limits(), VIA_NAME);
        this.stats = stats;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }
}
