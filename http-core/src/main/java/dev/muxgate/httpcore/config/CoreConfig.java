package dev.muxgate.httpcore.config;

import java.util.List;
import java.util.Objects;

/**
 * Everything the proxy core needs, built once at start-up and never changed. The defaults mirror
 * {@code conf/gateway.yaml}; {@link #defaults()} is what an empty file gives.
 */
public record CoreConfig(
        ListenerConfig listener,
        LimitsConfig limits,
        OriginPoolConfig origins,
        List<RemapRule> remap,
        AccessLogConfig accessLog) {

    public CoreConfig {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(origins, "origins");
        remap = List.copyOf(remap);
        Objects.requireNonNull(accessLog, "accessLog");
    }

    public static CoreConfig defaults() {
        return new CoreConfig(
                ListenerConfig.defaults(),
                LimitsConfig.defaults(),
                OriginPoolConfig.defaults(),
                List.of(RemapRule.DEMO_CATCH_ALL),
                AccessLogConfig.defaults());
    }

    public CoreConfig withListener(ListenerConfig newListener) {
        return new CoreConfig(newListener, limits, origins, remap, accessLog);
    }

    public CoreConfig withLimits(LimitsConfig newLimits) {
        return new CoreConfig(listener, newLimits, origins, remap, accessLog);
    }

    public CoreConfig withOrigins(OriginPoolConfig newOrigins) {
        return new CoreConfig(listener, limits, newOrigins, remap, accessLog);
    }

    public CoreConfig withRemap(List<RemapRule> newRemap) {
        return new CoreConfig(listener, limits, origins, newRemap, accessLog);
    }

    public CoreConfig withAccessLog(AccessLogConfig newAccessLog) {
        return new CoreConfig(listener, limits, origins, remap, newAccessLog);
    }
}
