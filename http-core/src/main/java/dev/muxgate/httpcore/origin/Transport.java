package dev.muxgate.httpcore.origin;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandle;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The socket transport: native epoll where it loads, NIO otherwise. Also picks the socket class
 * that fits a given loop, because plugin connections may live on a caller's loop of either kind
 * and their origin connections must register on that same loop.
 */
public final class Transport {

    private final boolean nativeEpoll;

    private Transport(boolean nativeEpoll) {
        this.nativeEpoll = nativeEpoll;
    }

    /** Epoll when available and not switched off with {@code -Dmuxgate.transport=nio}. */
    public static Transport detect() {
        boolean wantNio = "nio".equalsIgnoreCase(System.getProperty("muxgate.transport"));
        return new Transport(!wantNio && Epoll.isAvailable());
    }

    public static Transport nio() {
        return new Transport(false);
    }

    public String name() {
        return nativeEpoll ? "epoll" : "nio";
    }

    public EventLoopGroup newGroup(int threads, String name) {
        IoHandlerFactory factory = nativeEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, false), factory);
    }

    public Class<? extends ServerChannel> serverChannelClass() {
        return nativeEpoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** A socket factory for an origin connection on {@code loop}, or null if the loop takes none. */
    public static ChannelFactory<? extends Channel> socketFactoryFor(EventLoop loop) {
        if (loop instanceof IoEventLoop ioLoop) {
            if (Epoll.isAvailable() && ioLoop.isCompatible(EpollIoHandle.class)) {
                return EpollSocketChannel::new;
            }
            if (ioLoop.isCompatible(NioIoHandle.class)) {
                return NioSocketChannel::new;
            }
        }
        return null;
    }
}
