package dev.muxgate.gateway.frontdoor;

import dev.muxgate.httpcore.balancer.ClientAddress;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the open connections of the TLS and the plain listener, in all and per client address,
 * and admits a new one only under both caps. One per gateway, shared by its event loops (hence the concurrent map);
 * an address's entry goes when its last connection does, so the map holds only live clients.
 */
public final class ConnectionCaps {

    /** Why a connection was refused: the {@code reason} tag of the refusal counter. */
    public enum Refusal {
        MAX_CONNECTIONS("max_connections"),
        MAX_CONNECTIONS_PER_CLIENT("max_connections_per_client");

        private final String tag;

        Refusal(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    /** Swapped by a reload; connections already admitted keep their places. */
    private volatile ConnectionCapsConfig config;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();

    public ConnectionCaps(ConnectionCapsConfig config) {
        this.config = config;
    }

    /** New caps for connections from now on (a reload); the counts go on. */
    public void limits(ConnectionCapsConfig newConfig) {
        this.config = java.util.Objects.requireNonNull(newConfig, "newConfig");
    }

    /**
     * Takes a place for a connection from {@code client}; null when admitted (then {@link #release}
     * must follow when it closes), else why not.
     */
    public Refusal admit(InetAddress client) {
        ConnectionCapsConfig config = this.config;
        if (open.incrementAndGet() > config.max()) {
            open.decrementAndGet();
            return Refusal.MAX_CONNECTIONS;
        }
        boolean[] over = new boolean[1];
        perClient.compute(client, (address, count) -> {
            AtomicInteger c = count == null ? new AtomicInteger() : count;
            if (c.get() >= config.maxPerClient()) {
                over[0] = true;
            } else {
                c.incrementAndGet();
            }
            return c.get() == 0 ? null : c;
        });
        if (over[0]) {
            open.decrementAndGet();
            return Refusal.MAX_CONNECTIONS_PER_CLIENT;
        }
        return null;
    }

    /**
     * Takes a place for {@code connection}'s client (the one a trusted PROXY header named, else the
     * peer: the caps count clients, not balancers) and gives it back when the connection closes.
     * Null when admitted, or when it is not an IP connection; else why not, and the caller closes it.
     */
    public Refusal admit(Channel connection) {
        InetSocketAddress remote = ClientAddress.of(connection);
        if (remote == null || remote.getAddress() == null) {
            return null;
        }
        InetAddress client = remote.getAddress();
        Refusal refusal = admit(client);
        if (refusal == null) {
            connection.closeFuture().addListener(f -> release(client));
        }
        return refusal;
    }

    /** Gives back the place of an admitted connection from {@code client}. */
    public void release(InetAddress client) {
        open.decrementAndGet();
        perClient.computeIfPresent(client, (address, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Connections admitted and not yet released. */
    public int open() {
        return open.get();
    }

    /** Client addresses with at least one admitted connection. */
    public int clients() {
        return perClient.size();
    }
}
