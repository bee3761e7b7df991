package dev.muxgate.httpcore.proxy;

import io.netty.channel.Channel;

/**
 * Decides, as the core's plain listener accepts a connection and before a byte of it is read,
 * whether it may stay (connection caps). Plugin connections never pass here: they are counted by
 * whatever opened them. Called on the connection's event loop, so it must not block.
 */
@FunctionalInterface
public interface AcceptGuard {

    /** Keeps every connection. */
    AcceptGuard ADMIT_ALL = connection -> true;

    /**
     * True to serve {@code connection}; false and the core closes it at once. A guard that keeps
     * count hooks {@code connection.closeFuture()} to give the place back.
     */
    boolean admit(Channel connection);
}
