package dev.muxgate.httpcore.origin;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;

/** Opens TCP connections to one origin on the borrower's own loop; names resolve off the loop. */
final class TcpOriginConnector implements OriginConnector {

    private final SocketAddress address;
    private final int connectTimeoutMillis;
    private final AddressResolverGroup<? extends SocketAddress> resolver;

    TcpOriginConnector(OriginKey origin, Duration connectTimeout,
                       AddressResolverGroup<? extends SocketAddress> resolver) {
        this.address = InetSocketAddress.createUnresolved(origin.host(), origin.port());
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.resolver = resolver;
    }

    @Override
    public Future<Channel> connect(EventLoop loop) {
        Promise<Channel> promise = loop.newPromise();
        ChannelFactory<? extends Channel> factory = Transport.socketFactoryFor(loop);
        if (factory == null) {
            return promise.setFailure(new IllegalStateException(
                    "event loop " + loop + " cannot host sockets; plugin connections that reach real "
                            + "origins must live on an epoll or NIO loop"));
        }
        ChannelFuture connect = new Bootstrap()
                .group(loop)
                .channelFactory(factory)
                .resolver(resolver)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.RECVBUF_ALLOCATOR, READS)
                .handler(new NoHandler())
                .connect(address);
        connect.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                f.channel().pipeline().remove(NoHandler.class);
                promise.setSuccess(f.channel());
            } else {
                promise.setFailure(f.cause());
            }
        });
        return promise;
    }

    /**
     * Origin reads of at most 16 KiB: one HTTP/2 DATA frame and one TLS record each, and a size the
     * allocator pools per thread. Larger reads are held until the client takes them, so under
     * load each one pinned a fresh chunk the allocator had to zero and later unmap.
     */
    private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(512, 2048, 16 * 1024);

    /** Bootstrap insists on a handler; the pool installs the real ones once connected. */
    private static final class NoHandler extends ChannelHandlerAdapter {
    }
}
