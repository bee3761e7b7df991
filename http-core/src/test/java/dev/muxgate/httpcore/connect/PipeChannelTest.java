package dev.muxgate.httpcore.connect;

import static dev.muxgate.httpcore.connect.PipeRecorder.ACTIVE;
import static dev.muxgate.httpcore.connect.PipeRecorder.INACTIVE;
import static dev.muxgate.httpcore.connect.PipeRecorder.INPUT_SHUTDOWN;
import static dev.muxgate.httpcore.connect.PipeRecorder.assertAllReleased;
import static dev.muxgate.httpcore.connect.PipeRecorder.await;
import static dev.muxgate.httpcore.connect.PipeRecorder.message;
import static dev.muxgate.httpcore.connect.PipeRecorder.onLoop;
import static dev.muxgate.httpcore.connect.PipeRecorder.seqOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.connect.PipeLoops.Placement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The pair's socket semantics on real event loops: delivery, auto-read, close, half-close. */
@Timeout(20)
class PipeChannelTest {

    private static final PipeLoops LOOPS = new PipeLoops();

    static final InetSocketAddress FIRST_ADDRESS = new InetSocketAddress("192.0.2.1", 40000);
    static final InetSocketAddress SECOND_ADDRESS = new InetSocketAddress("192.0.2.2", 8080);

    /** Every buffer a test wrote; each must end with refCnt 0 whatever path it took. */
    private final List<ByteBuf> sent = new ArrayList<>();
    private final List<Channel> opened = new ArrayList<>();
    /** Their reads are released after each test, once the channels are closed. */
    private final List<PipeRecorder> recorders = new ArrayList<>();

    static Stream<Arguments> placements() {
        return LOOPS.arguments();
    }

    @AfterAll
    static void shutDownLoops() {
        LOOPS.close();
    }

    @AfterEach
    void closeChannelsAndCheckBuffers() throws InterruptedException {
        for (Channel ch : opened) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Channel ch : opened) {
            assertTrue(ch.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS), ch + " did not close");
        }
        recorders.forEach(PipeRecorder::releaseReads);
        assertAllReleased(sent);
    }

    /** An open, registered pair with a recorder at the end of each pipeline. */
    final class Pair {
        final PipeChannel first;
        final PipeChannel second;
        final PipeRecorder firstSeen = new PipeRecorder();
        final PipeRecorder secondSeen = new PipeRecorder();

        Pair(Placement placement, Consumer<PipeChannel> configureFirst, Consumer<PipeChannel> configureSecond)
                throws InterruptedException {
            PipeChannel[] pair = PipeChannel.newPair(FIRST_ADDRESS, SECOND_ADDRESS);
            first = pair[0];
            second = pair[1];
            opened.add(first);
            opened.add(second);
            recorders.add(firstSeen);
            recorders.add(secondSeen);
            configureFirst.accept(first);
            configureSecond.accept(second);
            first.pipeline().addLast(firstSeen);
            second.pipeline().addLast(secondSeen);
            placement.first().register(first).syncUninterruptibly();
            placement.second().register(second).syncUninterruptibly();
            await(firstSeen.active, "first end active");
            await(secondSeen.active, "second end active");
        }

        void releaseReads() {
            firstSeen.releaseReads();
            secondSeen.releaseReads();
        }
    }

    private Pair pair(Placement placement) throws InterruptedException {
        return new Pair(placement, ch -> { }, ch -> { });
    }

    private ByteBuf track(ByteBuf buf) {
        sent.add(buf);
        return buf;
    }

    /**
     * Waits until every task already queued on both loops has run, twice over: a write crosses at
     * most writer loop -> reader loop -> (scheduled delivery) reader loop.
     */
    private static void quiesce(Pair p) {
        for (int i = 0; i < 3; i++) {
            onLoop(p.first, () -> { });
            onLoop(p.second, () -> { });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void messagesArriveInOrderAsTheSameBufferInstancesBothWays(Placement placement) throws Exception {
        Pair p = pair(placement);
        assertTrue(p.first.isActive() && p.second.isActive());
        assertSame(placement.first(), p.first.eventLoop());
        assertSame(placement.second(), p.second.eventLoop());

        int count = 200;
        List<ByteBuf> toSecond = new ArrayList<>();
        List<ByteBuf> toFirst = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            toSecond.add(track(message(i, 64)));
            toFirst.add(track(message(i, 64)));
        }
        for (int i = 0; i < count; i++) {
            // Flush only every few writes: one flush hands over everything written before it.
            if (i % 7 == 0) {
                p.first.writeAndFlush(toSecond.get(i));
                p.second.writeAndFlush(toFirst.get(i));
            } else {
                p.first.write(toSecond.get(i));
                p.second.write(toFirst.get(i));
            }
        }
        p.first.flush();
        p.second.flush();

        for (int i = 0; i < count; i++) {
            assertSame(toSecond.get(i), p.secondSeen.nextRead(10), "message " + i + " to the second end");
            assertSame(toFirst.get(i), p.firstSeen.nextRead(10), "message " + i + " to the first end");
            assertEquals(1, toSecond.get(i).refCnt(), "the reader owns exactly one reference");
        }
        assertEquals(ACTIVE, p.firstSeen.timeline.get(0));
        assertEquals(ACTIVE, p.secondSeen.timeline.get(0));
        p.releaseReads();
        for (ByteBuf buf : toSecond) {
            assertEquals(0, buf.refCnt());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void messagesThatAreNotBuffersPassByReferenceToo(Placement placement) throws Exception {
        Pair p = pair(placement);
        ByteBuf content = track(message(3, 64));
        DefaultHttpContent chunk = new DefaultHttpContent(content);
        String plain = "not reference counted";
        p.first.write(plain);
        p.first.writeAndFlush(chunk);
        assertSame(plain, p.secondSeen.nextRead(10));
        assertSame(chunk, p.secondSeen.nextRead(10));
    }

    @Test
    void localAndRemoteAddressesMirrorEachOther() {
        PipeChannel[] pair = PipeChannel.newPair(FIRST_ADDRESS, SECOND_ADDRESS);
        assertEquals(FIRST_ADDRESS, pair[0].localAddress());
        assertEquals(SECOND_ADDRESS, pair[0].remoteAddress());
        assertEquals(SECOND_ADDRESS, pair[1].localAddress());
        assertEquals(FIRST_ADDRESS, pair[1].remoteAddress());
        assertSame(pair[1], pair[0].peer());
        assertSame(pair[0], pair[1].peer());
        assertFalse(pair[0].isActive(), "a pair end is active only once registered");
        assertTrue(pair[0].isOpen());
        assertFalse(pair[0].metadata().hasDisconnect());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void writesMadeInChannelActiveReachAPeerRegisteredLater(Placement placement) throws Exception {
        ByteBuf hello = track(message(1, 32));
        PipeChannel[] pair = PipeChannel.newPair(FIRST_ADDRESS, SECOND_ADDRESS);
        opened.add(pair[0]);
        opened.add(pair[1]);
        pair[0].pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(hello);
                ctx.fireChannelActive();
            }
        });
        PipeRecorder secondSeen = new PipeRecorder();
        recorders.add(secondSeen);
        pair[1].pipeline().addLast(secondSeen);
        placement.first().register(pair[0]).syncUninterruptibly();
        placement.second().register(pair[1]).syncUninterruptibly();

        assertSame(hello, secondSeen.nextRead(10));
        secondSeen.releaseReads();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void aCloseInChannelActiveReachesAPeerRegisteredLater(Placement placement) throws Exception {
        PipeChannel[] pair = PipeChannel.newPair(FIRST_ADDRESS, SECOND_ADDRESS);
        opened.add(pair[0]);
        opened.add(pair[1]);
        pair[0].pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.close();
            }
        });
        PipeRecorder secondSeen = new PipeRecorder();
        recorders.add(secondSeen);
        pair[1].pipeline().addLast(secondSeen);
        placement.first().register(pair[0]).syncUninterruptibly();
        placement.second().register(pair[1]).syncUninterruptibly();

        await(secondSeen.inactive, "the second end to see the first end's close");
        assertFalse(pair[1].isOpen());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void withAutoReadOffNothingArrivesUntilReadAndEachReadDeliversAtLeastOne(Placement placement)
            throws Exception {
        Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setAutoRead(false));
        int count = 5;
        for (int i = 0; i < count; i++) {
            p.first.writeAndFlush(track(message(i, 100)));
        }
        quiesce(p);
        assertTrue(p.secondSeen.reads.isEmpty(), "delivered with auto-read off and no read()");

        int received = 0;
        for (int reads = 0; reads < count && received < count; reads++) {
            int before = p.secondSeen.reads.size();
            p.second.read();
            quiesce(p);
            int after = p.secondSeen.reads.size();
            assertTrue(after > before, "read() #" + reads + " delivered nothing");
            received = after;
        }
        assertEquals(count, received);
        for (int i = 0; i < count; i++) {
            assertEquals(i, seqOf(p.secondSeen.nextRead(1)));
        }

        // More data piles up with auto-read still off, then turning it back on drains everything.
        for (int i = count; i < 2 * count; i++) {
            p.first.writeAndFlush(track(message(i, 100)));
        }
        quiesce(p);
        assertTrue(p.secondSeen.reads.isEmpty());
        p.second.config().setAutoRead(true);
        for (int i = count; i < 2 * count; i++) {
            assertEquals(i, seqOf(p.secondSeen.nextRead(10)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void turningAutoReadOffOnAnActiveChannelStopsDelivery(Placement placement) throws Exception {
        Pair p = pair(placement);
        p.first.writeAndFlush(track(message(0, 100)));
        assertEquals(0, seqOf(p.secondSeen.nextRead(10)));

        // The read that auto-read requested after the last delivery must not outlive the switch.
        onLoop(p.second, () -> p.second.config().setAutoRead(false));
        p.first.writeAndFlush(track(message(1, 100)));
        quiesce(p);
        assertTrue(p.secondSeen.reads.isEmpty(), "delivered after auto-read was turned off");

        p.second.read();
        assertEquals(1, seqOf(p.secondSeen.nextRead(10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void closeFromEitherSideDeliversWhatWasSentBeforeThePeerGoesInactive(Placement placement) throws Exception {
        for (boolean firstCloses : new boolean[] {true, false}) {
            Pair p = pair(placement);
            Channel closer = firstCloses ? p.first : p.second;
            PipeRecorder closerSeen = firstCloses ? p.firstSeen : p.secondSeen;
            PipeRecorder peerSeen = firstCloses ? p.secondSeen : p.firstSeen;

            List<ByteBuf> burst = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                burst.add(track(message(i, 512)));
                closer.write(burst.get(i));
            }
            ByteBuf last = track(message(20, 512));
            burst.add(last);
            closer.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);

            await(peerSeen.inactive, "the peer to go inactive");
            await(closerSeen.inactive, "the closer to go inactive");
            List<Object> timeline = new ArrayList<>(peerSeen.timeline);
            assertEquals(ACTIVE, timeline.get(0));
            for (int i = 0; i < burst.size(); i++) {
                assertSame(burst.get(i), timeline.get(i + 1), "message " + i + " before the close");
            }
            assertEquals(INACTIVE, timeline.get(burst.size() + 1), "inactive after the data: " + timeline);
            p.releaseReads();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void writesToAClosedPeerFailWithClosedChannelException(Placement placement) throws Exception {
        // The writer does not read, so it stays active after the peer's close and its write really
        // meets a closed peer rather than a closed self.
        Pair p = new Pair(placement, ch -> ch.config().setAutoRead(false), ch -> { });
        p.second.close().syncUninterruptibly();
        quiesce(p);
        assertTrue(p.first.isActive());

        ByteBuf late = track(message(0, 64));
        ChannelFuture write = p.first.writeAndFlush(late).awaitUninterruptibly();
        assertFalse(write.isSuccess());
        assertInstanceOf(ClosedChannelException.class, write.cause());

        // The pending close is seen at the next read, as a FIN is.
        p.first.read();
        await(p.firstSeen.inactive, "the writer to see the close on read");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void buffersQueuedInTheReadersInboundAreReleasedWhenTheReaderCloses(Placement placement) throws Exception {
        Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setAutoRead(false));
        for (int i = 0; i < 10; i++) {
            p.first.writeAndFlush(track(message(i, 256))).syncUninterruptibly();
        }
        quiesce(p);
        assertTrue(p.secondSeen.reads.isEmpty());
        p.second.close().syncUninterruptibly();
        await(p.firstSeen.inactive, "the writer to see the close");
        assertAllReleased(sent);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void buffersQueuedInTheReadersInboundAreDeliveredThenTheReaderClosesWhenTheWriterCloses(Placement placement)
            throws Exception {
        Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setAutoRead(false));
        for (int i = 0; i < 10; i++) {
            p.first.writeAndFlush(track(message(i, 256))).syncUninterruptibly();
        }
        p.first.close().syncUninterruptibly();
        quiesce(p);
        assertTrue(p.second.isActive(), "a FIN waits behind unread data");
        p.second.config().setAutoRead(true);
        for (int i = 0; i < 10; i++) {
            assertEquals(i, seqOf(p.secondSeen.nextRead(10)));
        }
        await(p.secondSeen.inactive, "the reader to close after the data");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void halfCloseWithAllowHalfClosureLetsThePeerWriteBackThenCloseReachesIt(Placement placement)
            throws Exception {
        for (boolean halfCloserClosesLast : new boolean[] {true, false}) {
            Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true));
            ByteBuf request = track(message(1, 128));
            p.first.writeAndFlush(request);
            p.first.shutdownOutput().syncUninterruptibly();
            assertTrue(p.first.isOutputShutdown());

            await(p.secondSeen.inputShutdown, "input shutdown on the peer");
            assertEquals(List.of(ACTIVE, request, INPUT_SHUTDOWN), List.copyOf(p.secondSeen.timeline));
            assertTrue(p.second.isActive(), "a half-closed peer stays open");
            assertTrue(p.second.isInputShutdown());
            assertFalse(p.second.isOutputShutdown());

            ByteBuf reply = track(message(2, 128));
            p.second.writeAndFlush(reply).syncUninterruptibly();
            assertSame(reply, p.firstSeen.nextRead(10));

            // Either end closing now must take the other one down too.
            (halfCloserClosesLast ? p.first : p.second).close();
            await(p.firstSeen.inactive, "the half-closer to go inactive");
            await(p.secondSeen.inactive, "the half-closed peer to go inactive");
            p.releaseReads();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void halfCloseWithoutAllowHalfClosureClosesThePeerAfterTheData(Placement placement) throws Exception {
        Pair p = pair(placement);
        ByteBuf request = track(message(1, 128));
        p.first.writeAndFlush(request);
        p.first.shutdownOutput().syncUninterruptibly();

        await(p.secondSeen.inactive, "the peer to close on input shutdown");
        assertEquals(List.of(ACTIVE, request, INACTIVE), List.copyOf(p.secondSeen.timeline));
        await(p.firstSeen.inactive, "the half-closer to see the peer's close");
        p.releaseReads();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void writesAfterShutdownOutputFailAndAreReleased(Placement placement) throws Exception {
        Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true));
        p.first.shutdownOutput().syncUninterruptibly();
        ChannelFuture write = p.first.writeAndFlush(track(message(0, 64))).awaitUninterruptibly();
        assertFalse(write.isSuccess());
        assertTrue(write.cause() instanceof ClosedChannelException
                || write.cause() instanceof ChannelOutputShutdownException, write.cause().toString());
        await(p.secondSeen.inputShutdown, "input shutdown on the peer");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void shutdownInputDropsQueuedDataAndStillSeesThePeerClose(Placement placement) throws Exception {
        Pair p = new Pair(placement, ch -> { }, ch -> ch.config().setAutoRead(false));
        for (int i = 0; i < 4; i++) {
            p.first.writeAndFlush(track(message(i, 64))).syncUninterruptibly();
        }
        quiesce(p);
        p.second.shutdownInput().syncUninterruptibly();
        assertTrue(p.second.isInputShutdown());
        assertAllReleased(sent);

        p.first.close().syncUninterruptibly();
        await(p.secondSeen.inactive, "an input-shut-down end to see the peer's close");
    }

    @Test
    void bindAndConnectAreRefusedBecauseAPairIsBornConnected() throws Exception {
        Placement placement = LOOPS.arguments().findFirst().map(a -> (Placement) a.get()[0]).orElseThrow();
        Pair p = pair(placement);
        assertFalse(p.first.bind(new InetSocketAddress(0)).awaitUninterruptibly().isSuccess());
        assertFalse(p.first.connect(SECOND_ADDRESS).awaitUninterruptibly().isSuccess());
        assertThrows(IllegalStateException.class, () -> PipeChannel.newPair(FIRST_ADDRESS, SECOND_ADDRESS)[0].eventLoop());
    }
}
