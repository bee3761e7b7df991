package dev.muxgate.httpcore.connect;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The real event loops the pipe tests run on: NIO always, epoll when the platform has it. Each
 * placement puts the two ends of a pair either on one loop (bytes never change threads, the
 * connector's normal case) or on two loops of the same group (every message crosses threads).
 */
final class PipeLoops implements AutoCloseable {

    /** Where the two ends of a pair live. */
    record Placement(String name, EventLoop first, EventLoop second) {
        @Override
        public String toString() {
            return name;
        }
    }

    private final List<EventLoopGroup> groups = new ArrayList<>();
    private final List<Placement> placements = new ArrayList<>();

    PipeLoops() {
        add("nio", NioIoHandler.newFactory());
        if (Epoll.isAvailable()) {
            add("epoll", EpollIoHandler.newFactory());
        }
    }

    private void add(String transport, IoHandlerFactory factory) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, factory);
        groups.add(group);
        Iterator<?> loops = group.iterator();
        EventLoop a = (EventLoop) loops.next();
        EventLoop b = (EventLoop) loops.next();
        placements.add(new Placement(transport + ", one loop", a, a));
        placements.add(new Placement(transport + ", two loops", a, b));
    }

    Stream<Arguments> arguments() {
        return placements.stream().map(Arguments::of);
    }

    List<EventLoopGroup> groups() {
        return groups;
    }

    @Override
    public void close() {
        for (EventLoopGroup group : groups) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
