package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.config.OriginPoolConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connections to one origin from one event loop: no locks, because only that loop
 * touches it. Idle connections are reused newest first; at the connection limit, borrowers wait in
 * a bounded queue.
 */
public final class OriginPool {

    static final int MAX_RESPONSE_LINE = 8 * 1024;
    static final int MAX_RESPONSE_HEADERS = 64 * 1024;
    static final int MAX_CHUNK = 64 * 1024;

    private final OriginKey origin;
    private final OriginConnector connector;
    private final EventLoop loop;
    private final OriginPoolConfig config;
    private final ArrayDeque<OriginConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Promise<OriginConnection>> waiters = new ArrayDeque<>();
    private int open;
    private boolean sweepScheduled;
    private boolean closed;

    OriginPool(OriginKey origin, OriginConnector connector, EventLoop loop, OriginPoolConfig config) {
        this.origin = origin;
        this.connector = connector;
        this.loop = loop;
        this.config = config;
    }

    public OriginKey origin() {
        return origin;
    }

    /** Connections open now, busy and idle. */
    public int openConnections() {
        return open;
    }

    public int idleConnections() {
        return idle.size();
    }

    /** Lends a connection: an idle one, a new one, or the next one given back. */
    public Future<OriginConnection> acquire() {
        assert loop.inEventLoop();
        Promise<OriginConnection> promise = loop.newPromise();
        long now = System.nanoTime();
        long maxIdle = config.idleTimeout().toNanos();
        for (OriginConnection c; (c = idle.pollFirst()) != null; ) {
            if (c.channel().isActive() && now - c.idleSinceNanos() < maxIdle) {
                c.state(OriginConnection.State.BUSY);
                return promise.setSuccess(c);
            }
            closeConnection(c);
        }
        if (closed) {
            return promise.setFailure(new IllegalStateException("origin pool is closed"));
        }
        if (open < config.maxConnectionsPerOrigin()) {
            openNew(promise);
        } else if (waiters.size() < config.maxWaiters()) {
            waiters.add(promise);
        } else {
            promise.setFailure(new OriginBusyException(origin, waiters.size()));
        }
        return promise;
    }

    private void openNew(Promise<OriginConnection> promise) {
        open++;
        connector.connect(loop).addListener((Future<Channel> f) -> {
            if (!f.isSuccess()) {
                open--;
                promise.tryFailure(f.cause());
                serveWaiter();
                return;
            }
            Channel ch = f.getNow();
            OriginConnection connection = new OriginConnection(ch, this);
            OriginChannelHandler handler = new OriginChannelHandler(this);
            handler.bind(connection);
            ChannelPipeline p = ch.pipeline();
            p.addLast("http", new HttpClientCodec(new HttpDecoderConfig()
                    .setMaxInitialLineLength(MAX_RESPONSE_LINE)
                    .setMaxHeaderSize(MAX_RESPONSE_HEADERS)
                    .setMaxChunkSize(MAX_CHUNK)
                    .setStrictLineParsing(true), false, false));
            p.addLast("origin", handler);
            if (!promise.trySuccess(connection)) {
                release(connection, true);
            }
        });
    }

    void release(OriginConnection connection, boolean reusable) {
        if (connection.state() != OriginConnection.State.BUSY) {
            return;
        }
        if (reusable && !closed && connection.channel().isActive()) {
            Promise<OriginConnection> waiter;
            while ((waiter = waiters.poll()) != null) {
                if (waiter.trySuccess(connection)) {
                    return;
                }
            }
            connection.state(OriginConnection.State.IDLE);
            connection.idleSince(System.nanoTime());
            idle.addFirst(connection);
            scheduleSweep();
            return;
        }
        closeConnection(connection);
        serveWaiter();
    }

    void switchProtocols(OriginConnection connection, io.netty.channel.ChannelHandler tunnelEnd) {
        if (connection.state() != OriginConnection.State.BUSY) {
            throw new IllegalStateException("only a lent connection can switch protocols");
        }
        connection.state(OriginConnection.State.TUNNEL);
        ChannelPipeline p = connection.channel().pipeline();
        p.replace("origin", "tunnel", tunnelEnd);
        // Removing the codec hands on what it had read past the 101 as plain bytes.
        p.remove("http");
        connection.channel().closeFuture().addListener(f -> {
            if (connection.state() == OriginConnection.State.TUNNEL) {
                connection.state(OriginConnection.State.CLOSED);
                open--;
                serveWaiter();
            }
        });
    }

    void discardIdle(OriginConnection connection) {
        if (connection.state() == OriginConnection.State.IDLE) {
            idle.remove(connection);
            closeConnection(connection);
        } else if (connection.state() == OriginConnection.State.BUSY && connection.listener() == null) {
            closeConnection(connection);
            serveWaiter();
        }
    }

    private void closeConnection(OriginConnection connection) {
        if (connection.state() != OriginConnection.State.CLOSED) {
            connection.state(OriginConnection.State.CLOSED);
            open--;
            connection.channel().close();
        }
    }

    private void serveWaiter() {
        Promise<OriginConnection> waiter;
        while (open < config.maxConnectionsPerOrigin() && (waiter = waiters.poll()) != null) {
            if (!waiter.isDone()) {
                openNew(waiter);
            }
        }
    }

    /** Closes idle connections that outstayed the idle time-out, while any are idle. */
    private void scheduleSweep() {
        if (sweepScheduled) {
            return;
        }
        sweepScheduled = true;
        long period = Math.max(config.idleTimeout().toMillis() / 2, 10);
        loop.schedule(this::sweep, period, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        sweepScheduled = false;
        long now = System.nanoTime();
        long maxIdle = config.idleTimeout().toNanos();
        // Newest first: the stale ones sit at the tail.
        for (OriginConnection c; (c = idle.peekLast()) != null && now - c.idleSinceNanos() >= maxIdle; ) {
            idle.pollLast();
            closeConnection(c);
        }
        if (!idle.isEmpty()) {
            scheduleSweep();
        }
    }

    /** Closes idle connections and refuses new borrowers; busy ones close when given back. */
    void close() {
        closed = true;
        for (OriginConnection c; (c = idle.poll()) != null; ) {
            closeConnection(c);
        }
        for (Promise<OriginConnection> w; (w = waiters.poll()) != null; ) {
            w.tryFailure(new IllegalStateException("origin pool is closed"));
        }
    }
}
