package dev.muxgate.gateway.frontdoor;

import dev.muxgate.gateway.admin.GatewayMetrics;
import dev.muxgate.httpcore.balancer.ClientAddress;
import dev.muxgate.httpcore.proxy.AcceptGuard;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;

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
        // The client a trusted PROXY header named, else the peer: the caps count clients, not balancers.
        InetSocketAddress remote = ClientAddress.of(connection);
        if (remote == null || remote.getAddress() == null) {
            return true;
        }
        InetAddress client = remote.getAddress();
        ConnectionCaps.Refusal refusal = caps.admit(client);
        if (refusal != null) {
            metrics.connectionRefused(refusal);
            return false;
        }
        connection.closeFuture().addListener(f -> caps.release(client));
        return true;
    }
}
