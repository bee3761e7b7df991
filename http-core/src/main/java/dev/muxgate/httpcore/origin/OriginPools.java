package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.config.OriginPoolConfig;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.resolver.DefaultNameResolver;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every origin pool of one core: one pool per origin and event loop, so a connection is only ever
 * touched by the loop of the client connection that borrows it. Host names resolve on a small
 * executor of their own, never on an event loop.
 */
public final class OriginPools implements AutoCloseable {

    private final OriginPoolConfig config;
    private final DemoOrigin demo;
    private final SslContext originTls;
    private final EventExecutorGroup resolverExecutors;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final Map<EventLoop, Map<OriginKey, OriginPool>> poolsByLoop = new ConcurrentHashMap<>();

    public OriginPools(OriginPoolConfig config, DemoOrigin demo) {
        this(config, demo, null);
    }

    /** @param originTls the client context for {@code https://} origins; null when there are none */
    public OriginPools(OriginPoolConfig config, DemoOrigin demo, SslContext originTls) {
        this.config = config;
        this.demo = demo;
        this.originTls = originTls;
        this.resolverExecutors = new DefaultEventExecutorGroup(2, new io.netty.util.concurrent.DefaultThreadFactory(
                "muxgate-resolver", true));
        this.resolver = new AddressResolverGroup<>() {
            @Override
            protected AddressResolver<InetSocketAddress> newResolver(EventExecutor ignoredLoop) {
                return new DefaultNameResolver(resolverExecutors.next()).asAddressResolver();
            }
        };
    }

    public OriginPoolConfig config() {
        return config;
    }

    /** The pool of {@code origin} for {@code loop}; call on that loop. */
    public OriginPool pool(EventLoop loop, OriginKey origin) {
        Map<OriginKey, OriginPool> pools = poolsByLoop.computeIfAbsent(loop, l -> new HashMap<>());
        OriginPool pool = pools.get(origin);
        if (pool == null) {
            OriginConnector connector = connectorFor(origin);
            pool = new OriginPool(origin, connector, loop, config);
            pools.put(origin, pool);
        }
        return pool;
    }

    private OriginConnector connectorFor(OriginKey origin) {
        if (origin.demo()) {
            return new DemoOriginConnector(demo);
        }
        OriginConnector tcp = new TcpOriginConnector(origin, config.connectTimeout(), resolver);
        if (!origin.tls()) {
            return tcp;
        }
        if (originTls == null) {
            throw new IllegalStateException("no TLS context for https origin " + origin);
        }
        // The handshake gets the connect time-out too: both are "the origin did not let us in".
        return new TlsOriginConnector(tcp, originTls, origin, config.connectTimeout());
    }

    /** Closes idle connections on every loop; busy ones close as their transactions end. */
    @Override
    public void close() {
        poolsByLoop.forEach((loop, pools) -> {
            if (!loop.isShuttingDown()) {
                loop.execute(() -> pools.values().forEach(OriginPool::close));
            }
        });
        resolver.close();
        resolverExecutors.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
}
