package dev.muxgate.httpcore.connect;

import static dev.muxgate.httpcore.connect.PipeRecorder.assertAllReleased;
import static dev.muxgate.httpcore.connect.PipeRecorder.message;
import static dev.muxgate.httpcore.connect.PipeRecorder.onLoop;
import static dev.muxgate.httpcore.connect.PipeRecorder.seqOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.connect.PipeLoops.Placement;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flow control of the pair: the reader's high water mark is its receive window, and a writer facing
 * a full window keeps its writes, so its writability follows the bytes in flight.
 */
@Timeout(20)
class PipeChannelBackpressureTest {

    private static final PipeLoops LOOPS = new PipeLoops();

    private static final int MESSAGE = 1024;
    private static final int READER_WINDOW = 16 * 1024;
    private static final int WRITER_HIGH = 12 * 1024;
    /** More writes than window and water marks could ever take: the write loop's hard bound. */
    private static final int MAX_WRITES = 1000;

    private final List<ByteBuf> sent = new ArrayList<>();
    private PipeChannel writer;
    private PipeChannel reader;
    private final PipeRecorder writerSeen = new PipeRecorder();
    private final PipeRecorder readerSeen = new PipeRecorder();

    static Stream<Arguments> placements() {
        return LOOPS.arguments();
    }

    @AfterAll
    static void shutDownLoops() {
        LOOPS.close();
    }

    @AfterEach
    void closeAndCheckBuffers() throws InterruptedException {
        if (writer != null) {
            writer.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            reader.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            readerSeen.releaseReads();
            writerSeen.releaseReads();
        }
        assertAllReleased(sent);
    }

    private void open(Placement placement, boolean readerAutoRead) throws InterruptedException {
        PipeChannel[] pair = PipeChannel.newPair(new InetSocketAddress("192.0.2.1", 1), new InetSocketAddress("192.0.2.2", 2));
        writer = pair[0];
        reader = pair[1];
        writer.config().setWriteBufferWaterMark(new WriteBufferWaterMark(WRITER_HIGH / 2, WRITER_HIGH));
        reader.config().setWriteBufferWaterMark(new WriteBufferWaterMark(READER_WINDOW / 2, READER_WINDOW));
        reader.config().setAutoRead(readerAutoRead);
        writer.pipeline().addLast(writerSeen);
        reader.pipeline().addLast(readerSeen);
        placement.first().register(writer).syncUninterruptibly();
        placement.second().register(reader).syncUninterruptibly();
        PipeRecorder.await(writerSeen.active, "writer active");
        PipeRecorder.await(readerSeen.active, "reader active");
    }

    /** Writes 1 KiB messages on the writer's loop until it turns unwritable; returns the futures. */
    private List<ChannelFuture> writeUntilUnwritable() {
        List<ChannelFuture> futures = new ArrayList<>();
        onLoop(writer, () -> {
            for (int i = 0; i < MAX_WRITES && writer.isWritable(); i++) {
                ByteBuf buf = message(sent.size(), MESSAGE);
                sent.add(buf);
                futures.add(writer.writeAndFlush(buf));
            }
        });
        return futures;
    }

    private void assertHeldBytesBounded(int written) {
        assertFalse(writer.isWritable(), "still writable after " + written + " messages");
        long held = (long) written * MESSAGE;
        assertTrue(held >= READER_WINDOW, "went unwritable before the window filled: " + held + " bytes");
        assertTrue(held <= READER_WINDOW + WRITER_HIGH + MESSAGE,
                "held " + held + " bytes, more than window + high water mark + one message");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void fullWindowMakesWriterUnwritableUntilPeerReads(Placement placement) throws Exception {
        open(placement, false);
        List<ChannelFuture> futures = writeUntilUnwritable();
        int written = futures.size();
        assertHeldBytesBounded(written);
        assertTrue(readerSeen.reads.isEmpty());
        assertEquals(0, writerSeen.becameWritable.get());
        long pending = futures.stream().filter(f -> !f.isDone()).count();
        assertTrue(pending > 0, "a full window must leave writes in the writer's outbound buffer");

        reader.config().setAutoRead(true);
        for (int i = 0; i < written; i++) {
            assertEquals(i, seqOf(readerSeen.nextRead(10)), "order of delivery");
        }
        for (ChannelFuture f : futures) {
            assertTrue(f.awaitUninterruptibly(10, TimeUnit.SECONDS) && f.isSuccess(), "write " + f);
        }
        onLoop(writer, () -> { });
        assertTrue(writer.isWritable());
        assertTrue(writerSeen.becameWritable.get() >= 1, "channelWritabilityChanged to writable was not fired");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void aReaderThatStopsMidStreamBoundsTheWriterAndResumesInOrder(Placement placement) throws Exception {
        open(placement, true);
        ByteBuf warmUp = message(-1, MESSAGE);
        sent.add(warmUp);
        writer.writeAndFlush(warmUp);
        assertEquals(-1, seqOf(readerSeen.nextRead(10)));
        readerSeen.releaseReads();

        onLoop(reader, () -> reader.config().setAutoRead(false));
        List<ChannelFuture> futures = writeUntilUnwritable();
        assertHeldBytesBounded(futures.size());

        // Several rounds of stop and go: every round ends writable, nothing lost or reordered.
        // The message with sequence number k is sent.get(k); the warm-up took 0.
        int next = 1;
        for (int round = 0; round < 3; round++) {
            reader.config().setAutoRead(true);
            for (int until = sent.size(); next < until; next++) {
                assertEquals(next, seqOf(readerSeen.nextRead(10)), "order of delivery");
            }
            readerSeen.releaseReads();
            onLoop(writer, () -> { });
            assertTrue(writer.isWritable());
            onLoop(reader, () -> reader.config().setAutoRead(false));
            futures = writeUntilUnwritable();
            assertHeldBytesBounded(futures.size());
        }
        assertTrue(writerSeen.becameWritable.get() >= 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void writesHeldByAFullWindowFailAndAreReleasedWhenThePeerCloses(Placement placement) throws Exception {
        open(placement, false);
        List<ChannelFuture> futures = writeUntilUnwritable();
        assertHeldBytesBounded(futures.size());

        reader.close().syncUninterruptibly();
        int failed = 0;
        for (ChannelFuture f : futures) {
            assertTrue(f.awaitUninterruptibly(10, TimeUnit.SECONDS), "a held write never completed");
            if (!f.isSuccess()) {
                assertInstanceOf(ClosedChannelException.class, f.cause());
                failed++;
            }
        }
        assertTrue(failed > 0, "writes held by the full window must fail");
        assertAllReleased(sent);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void writesHeldByAFullWindowAreReleasedWhenTheWriterCloses(Placement placement) throws Exception {
        open(placement, false);
        List<ChannelFuture> futures = writeUntilUnwritable();
        assertHeldBytesBounded(futures.size());

        writer.close().syncUninterruptibly();
        for (ChannelFuture f : futures) {
            assertTrue(f.awaitUninterruptibly(10, TimeUnit.SECONDS), "a held write never completed");
        }
        // What was already in the reader's window still arrives, then the close.
        reader.config().setAutoRead(true);
        PipeRecorder.await(readerSeen.inactive, "the reader to see the close after the data");
        long delivered = futures.stream().filter(ChannelFuture::isSuccess).count();
        assertEquals(delivered, readerSeen.reads.size());
        readerSeen.releaseReads();
        assertAllReleased(sent);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("placements")
    void aMessageLargerThanTheWholeWindowStillGetsThrough(Placement placement) throws Exception {
        open(placement, true);
        ByteBuf big = message(7, 4 * READER_WINDOW);
        sent.add(big);
        ByteBuf after = message(8, MESSAGE);
        sent.add(after);
        writer.write(big);
        writer.writeAndFlush(after);
        assertEquals(7, seqOf(readerSeen.nextRead(10)));
        assertEquals(8, seqOf(readerSeen.nextRead(10)));
    }
}
