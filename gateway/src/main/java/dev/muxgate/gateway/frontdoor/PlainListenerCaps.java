package dev.muxgate.gateway.frontdoor;

import dev.muxgate.gateway.admin.GatewayMetrics;
import dev.muxgate.httpcore.proxy.AcceptGuard;
import io.netty.channel.Channel;

/**
 * The connection caps on the core's plain HTTP listener: the same {@link ConnectionCaps} as the
 * TLS listener's, so {@code connections.max} and {@code connections.max-per-client} bound the
 * connections of both listeners together (one budget of file descriptors, one per client). A
 * refused connection is closed at accept, before a byte is read, and counted like a TLS one.
 */
public final class PlainListenerCaps implements AcceptGuard {

    private final ConnectionCaps caps;
    private final GatewayMetrics metrics;

    public PlainListenerCaps(ConnectionCaps caps, GatewayMetrics metrics) {
        this.caps = caps;
        this.metrics = metrics;
    }

    @Override
    public boolean admit(Channel connection) {
        ConnectionCaps.Refusal refusal = caps.admit(connection);
        if (refusal != null) {
            metrics.connectionRefused(refusal);
            return false;
        }
        return true;
    }
}
