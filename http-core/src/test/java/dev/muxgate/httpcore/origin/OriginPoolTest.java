package dev.muxgate.httpcore.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.OriginPoolConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pool alone, on one loop, with the demo origin's in-process connections behind it. */
@Timeout(20)
class OriginPoolTest {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoop loop = group.next();
    private final DemoOrigin demo = new DemoOrigin();

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        demo.close();
    }

    private OriginPool pool(int max, int waiters, Duration idle) {
        OriginPoolConfig config = new OriginPoolConfig(Duration.ofSeconds(1), Duration.ofSeconds(5), max, idle,
                waiters);
        return new OriginPool(OriginKey.DEMO, new DemoOriginConnector(demo), loop, config);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static OriginConnection await(Future<OriginConnection> f) throws Exception {
        assertTrue(f.await(5, TimeUnit.SECONDS));
        if (!f.isSuccess()) {
            throw new AssertionError("acquire failed", f.cause());
        }
        return f.getNow();
    }

    @Test
    void releasedConnectionIsReusedAndMarkedReused() throws Exception {
        OriginPool pool = pool(4, 4, Duration.ofSeconds(30));
        OriginConnection first = await(onLoop(pool::acquire));
        onLoop(() -> {
            first.lendTo(new NoListener());
            assertFalse(first.reused());
            first.release(true);
            return null;
        });
        assertEquals(1, (int) onLoop(pool::idleConnections));
        OriginConnection second = await(onLoop(pool::acquire));
        assertSame(first, second);
        onLoop(() -> {
            second.lendTo(new NoListener());
            assertTrue(second.reused());
            second.release(false);
            return null;
        });
        assertEquals(0, (int) onLoop(pool::openConnections));
        assertFalse(second.channel().isOpen());
    }

    @Test
    void atTheLimitBorrowersWaitThenGetBusy() throws Exception {
        OriginPool pool = pool(1, 1, Duration.ofSeconds(30));
        OriginConnection held = await(onLoop(pool::acquire));
        Future<OriginConnection> waiting = onLoop(pool::acquire);
        assertFalse(waiting.isDone());
        Future<OriginConnection> refused = onLoop(pool::acquire);
        assertTrue(refused.isDone());
        assertInstanceOf(OriginBusyException.class, refused.cause());
        onLoop(() -> {
            held.release(true);
            return null;
        });
        assertSame(held, await(waiting), "a waiter takes the connection given back");
    }

    @Test
    void aBrokenConnectionGivenBackMakesRoomForAWaiter() throws Exception {
        OriginPool pool = pool(1, 1, Duration.ofSeconds(30));
        OriginConnection held = await(onLoop(pool::acquire));
        Future<OriginConnection> waiting = onLoop(pool::acquire);
        onLoop(() -> {
            held.release(false);
            return null;
        });
        OriginConnection fresh = await(waiting);
        assertTrue(fresh != held && fresh.channel().isActive());
        assertEquals(1, (int) onLoop(pool::openConnections));
    }

    @Test
    void idleConnectionsAreSweptAfterTheIdleTimeout() throws Exception {
        OriginPool pool = pool(4, 4, Duration.ofMillis(100));
        OriginConnection c = await(onLoop(pool::acquire));
        onLoop(() -> {
            c.release(true);
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (onLoop(pool::openConnections) > 0) {
            assertTrue(System.nanoTime() < deadline, "idle connection never swept");
            Thread.sleep(10);
        }
        assertFalse(c.channel().isOpen());
    }

    @Test
    void closingThePoolFailsWaitersAndClosesIdleConnections() throws Exception {
        OriginPool pool = pool(1, 1, Duration.ofSeconds(30));
        OriginConnection held = await(onLoop(pool::acquire));
        Future<OriginConnection> waiting = onLoop(pool::acquire);
        onLoop(() -> {
            pool.close();
            return null;
        });
        assertTrue(waiting.await(5, TimeUnit.SECONDS));
        assertFalse(waiting.isSuccess());
        onLoop(() -> {
            held.release(true);
            return null;
        });
        assertEquals(0, (int) onLoop(pool::openConnections), "a closed pool keeps nothing");
        assertFalse(onLoop(pool::acquire).isSuccess());
    }

    private static final class NoListener implements OriginListener {
        @Override
        public void onOriginMessage(io.netty.handler.codec.http.HttpObject message) {
            io.netty.util.ReferenceCountUtil.release(message);
        }

        @Override
        public void onOriginReadComplete() {
        }

        @Override
        public void onOriginClosed(Throwable cause) {
        }

        @Override
        public void onOriginWritabilityChanged(boolean writable) {
        }
    }
}
