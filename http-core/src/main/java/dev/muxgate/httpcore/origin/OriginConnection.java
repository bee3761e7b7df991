package dev.muxgate.httpcore.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;

/**
 * One connection to an origin, owned by its pool and lent to one transaction at a time. The
 * borrower writes requests on {@link #channel()} and hears back through its {@link OriginListener}.
 */
public final class OriginConnection {

    private final Channel channel;
    private final OriginPool pool;
    private OriginListener listener;
    private int uses;
    private long idleSinceNanos;
    private State state = State.BUSY;

    enum State { IDLE, BUSY, TUNNEL, CLOSED }

    OriginConnection(Channel channel, OriginPool pool) {
        this.channel = channel;
        this.pool = pool;
    }

    public Channel channel() {
        return channel;
    }

    public OriginKey origin() {
        return pool.origin();
    }

    /** True when this connection served an earlier request (it may have gone stale meanwhile). */
    public boolean reused() {
        return uses > 1;
    }

    /** Gives the connection back: kept for the next request if {@code reusable}, else closed. */
    public void release(boolean reusable) {
        listener = null;
        pool.release(this, reusable);
    }

    /**
     * After the origin's 101: the HTTP codec and the pool's handler leave the pipeline and
     * {@code tunnelEnd} takes every byte from now on (bytes the codec had already read included).
     * The connection is never lent again; it keeps its place in the pool's count until it closes.
     */
    public void switchProtocols(ChannelHandler tunnelEnd) {
        listener = null;
        pool.switchProtocols(this, tunnelEnd);
    }

    OriginListener listener() {
        return listener;
    }

    /** Makes {@code newListener} the one that hears this connection's responses. */
    public void lendTo(OriginListener newListener) {
        listener = newListener;
        uses++;
    }

    State state() {
        return state;
    }

    void state(State newState) {
        state = newState;
    }

    long idleSinceNanos() {
        return idleSinceNanos;
    }

    void idleSince(long nanos) {
        idleSinceNanos = nanos;
    }
}
