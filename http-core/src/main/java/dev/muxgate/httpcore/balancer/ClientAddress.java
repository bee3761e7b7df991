package dev.muxgate.httpcore.balancer;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * The one place that says who the client of an accepted connection is: the address a trusted
 * balancer carried in a PROXY protocol header when there was one, else the socket's peer. Every
 * reader of "the client" (connection caps, session log, access log, plugin connections, metrics)
 * asks here instead of {@code channel.remoteAddress()}, which behind a balancer is the balancer.
 */
public final class ClientAddress {

    /** Set on a connection once a trusted balancer's header has named its client. */
    public static final AttributeKey<InetSocketAddress> ATTRIBUTE =
            AttributeKey.valueOf(ClientAddress.class, "muxgate.client");

    private ClientAddress() {
    }

    /** The client of {@code channel}; null when it is not an IP connection (a test channel's, a pipe's). */
    public static InetSocketAddress of(Channel channel) {
        InetSocketAddress carried = channel.attr(ATTRIBUTE).get();
        if (carried != null) {
            return carried;
        }
        return channel.remoteAddress() instanceof InetSocketAddress inet ? inet : null;
    }
}
