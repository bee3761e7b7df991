package dev.muxgate.httpcore.balancer;

import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts one listener's PROXY protocol outcomes: headers accepted by version, connections that came
 * without one where it is optional, and refusals by reason. Shared by the listener's event loops;
 * read by the metrics registry.
 */
public final class ProxyProtocolStats {

    private final LongAdder[] refused = new LongAdder[ProxyHeaderRefusal.values().length];
    private final LongAdder v1 = new LongAdder();
    private final LongAdder v2 = new LongAdder();
    private final LongAdder absent = new LongAdder();

    public ProxyProtocolStats() {
        for (int i = 0; i < refused.length; i++) {
            refused[i] = new LongAdder();
        }
    }

    void refused(ProxyHeaderRefusal reason) {
        refused[reason.ordinal()].increment();
    }

    void accepted(HAProxyProtocolVersion version) {
        (version == HAProxyProtocolVersion.V1 ? v1 : v2).increment();
    }

    void absent() {
        absent.increment();
    }

    /** Connections closed for {@code reason}. */
    public long refusedCount(ProxyHeaderRefusal reason) {
        return refused[reason.ordinal()].sum();
    }

    /** Headers accepted, of version 1 ({@code "v1"}) or 2 ({@code "v2"}). */
    public long acceptedCount(String version) {
        return "v1".equals(version) ? v1.sum() : v2.sum();
    }

    /** Connections that came without a header where one is optional. */
    public long absentCount() {
        return absent.sum();
    }
}
