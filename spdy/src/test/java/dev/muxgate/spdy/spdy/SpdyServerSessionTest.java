package dev.muxgate.spdy.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyPingFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyProtocolException;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The session handler alone on an {@link EmbeddedChannel}: each stream channel gets a recorder
 * instead of the codec and bridge, so the tests see exactly what a stream reads and what the
 * session writes to the client.
 */
@Timeout(10)
class SpdyServerSessionTest {

    private static final int WINDOW = 64 * 1024;

    private final List<String> malformed = new ArrayList<>();
    private final List<Recorder> recorders = new ArrayList<>();
    private boolean streamsAutoRead = true;
    private EmbeddedChannel ch;

    private EmbeddedChannel session(SpdyLimits limits, boolean spdy31) {
        ch = new EmbeddedChannel(new SpdyServerSession(limits, spdy31, Duration.ofSeconds(5), malformed::add,
                stream -> {
                    Recorder r = new Recorder();
                    recorders.add(r);
                    stream.config().setAutoRead(streamsAutoRead);
                    stream.pipeline().addLast(r);
                }));
        return ch;
    }

    private static SpdyLimits limits(int maxStreams, int initialWindow, int maxPings) {
        SpdyLimits d = SpdyLimits.defaults();
        return new SpdyLimits(maxStreams, d.maxHeaderBlockBytes(), initialWindow, d.sessionWindowBytes(),
                d.maxResetsPerWindow(), maxPings, d.maxSettingsPerWindow(), d.floodWindow(),
                d.maxQueuedControlFrames(), d.idleTimeout());
    }

    @AfterEach
    void release() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
        recorders.forEach(Recorder::releaseAll);
    }

    private static SpdySynStreamFrame syn(int id, boolean last) {
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(id, 0, (byte) 0);
        syn.headers().set(":method", "GET").set(":path", "/");
        syn.setLast(last);
        return syn;
    }

    private static SpdyDataFrame data(int id, int bytes, boolean last) {
        SpdyDataFrame d = new DefaultSpdyDataFrame(id, Unpooled.buffer(bytes).writeZero(bytes));
        d.setLast(last);
        return d;
    }

    private <T> T next(Class<T> type) {
        Object msg = ch.readOutbound();
        return assertInstanceOf(type, msg);
    }

    private void skipStartFrames() {
        next(SpdySettingsFrame.class);
        Object maybeUpdate = ch.readOutbound();
        if (maybeUpdate != null) {
            assertInstanceOf(SpdyWindowUpdateFrame.class, maybeUpdate);
        }
    }

    @Test
    void startsWithSettingsAndRaisesTheSpdy31SessionWindow() {
        session(SpdyLimits.defaults(), true);
        SpdySettingsFrame settings = next(SpdySettingsFrame.class);
        assertEquals(100, settings.getValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS));
        assertEquals(256 * 1024, settings.getValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE));
        SpdyWindowUpdateFrame update = next(SpdyWindowUpdateFrame.class);
        assertEquals(0, update.streamId());
        assertEquals(1024 * 1024 - WINDOW, update.deltaWindowSize());
        assertNull(ch.readOutbound());
    }

    @Test
    void spdy3HasNoSessionWindowUpdate() {
        session(SpdyLimits.defaults(), false);
        next(SpdySettingsFrame.class);
        assertNull(ch.readOutbound());
    }

    @Test
    void aSynStreamOpensAStreamChannelThatReadsItsFrames() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        ch.writeInbound(data(1, 10, true));
        assertEquals(1, recorders.size());
        Recorder r = recorders.get(0);
        assertInstanceOf(SpdySynStreamFrame.class, r.read.get(0));
        assertInstanceOf(SpdyDataFrame.class, r.read.get(1));
        assertTrue(r.channel.isActive());
        assertEquals(ch.remoteAddress(), r.channel.remoteAddress());
    }

    @Test
    void streamIdsThatGoBackwardsOrAreEvenEndTheSession() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(3, true));
        SpdySessionException e = assertThrows(SpdySessionException.class, () -> ch.writeInbound(syn(1, true)));
        assertEquals(SpdySessionException.Kind.PROTOCOL, e.kind());
        SpdyGoAwayFrame away = next(SpdyGoAwayFrame.class);
        assertEquals(SpdySessionStatus.PROTOCOL_ERROR, away.status());
        assertEquals(3, away.lastGoodStreamId());
        assertFalse(ch.isOpen());
        assertFalse(recorders.get(0).channel.isOpen(), "the streams end with the session");
    }

    @Test
    void aCodecErrorSuchAsAnInflatingHeaderBlockEndsTheSession() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.pipeline().fireExceptionCaught(new SpdyProtocolException("Decompressed header block exceeds 262144 bytes"));
        SpdySessionException e = assertThrows(SpdySessionException.class, ch::checkException);
        assertTrue(e.getMessage().contains("262144"), e.getMessage());
        assertEquals(SpdySessionStatus.PROTOCOL_ERROR, next(SpdyGoAwayFrame.class).status());
        assertFalse(ch.isOpen());
    }

    @Test
    void aSynStreamPastTheLimitIsRefused() {
        session(limits(1, 256 * 1024, 1000), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        ch.writeInbound(syn(3, true));
        SpdyRstStreamFrame rst = next(SpdyRstStreamFrame.class);
        assertEquals(3, rst.streamId());
        assertEquals(SpdyStreamStatus.REFUSED_STREAM, rst.status());
        assertEquals(1, recorders.size());
    }

    @Test
    void aTruncatedOrInvalidHeaderBlockIsRefusedAsMalformed() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        SpdySynStreamFrame big = syn(1, true);
        big.setTruncated();
        ch.writeInbound(big);
        assertEquals(SpdyStreamStatus.PROTOCOL_ERROR, next(SpdyRstStreamFrame.class).status());
        assertEquals(1, malformed.size());
        assertTrue(recorders.isEmpty());
    }

    @Test
    void readDataIsCreditedBackOnceHalfTheWindowIsUsed() {
        session(limits(100, WINDOW, 1000), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        ch.writeInbound(data(1, WINDOW / 2 - 1, false));
        assertNull(ch.readOutbound(), "not yet half the window");
        ch.writeInbound(data(1, 1, false));
        SpdyWindowUpdateFrame update = next(SpdyWindowUpdateFrame.class);
        assertEquals(1, update.streamId());
        assertEquals(WINDOW / 2, update.deltaWindowSize());
    }

    @Test
    void unreadDataIsNotCreditedAndDataPastTheWindowResetsTheStream() {
        streamsAutoRead = false;
        session(limits(100, WINDOW, 1000), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        ch.writeInbound(data(1, WINDOW, false));
        assertNull(ch.readOutbound(), "nothing read, nothing credited");
        ch.writeInbound(data(1, 1, false));
        SpdyRstStreamFrame rst = next(SpdyRstStreamFrame.class);
        assertEquals(SpdyStreamStatus.FLOW_CONTROL_ERROR, rst.status());
        assertFalse(recorders.get(0).channel.isOpen());
    }

    @Test
    void whatTheStreamReadsLaterIsCreditedThen() {
        streamsAutoRead = false;
        session(limits(100, WINDOW, 1000), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        ch.writeInbound(data(1, WINDOW, false));
        assertNull(ch.readOutbound());
        Recorder r = recorders.get(0);
        r.channel.config().setAutoRead(true);
        ch.runPendingTasks();
        assertEquals(2, r.read.size(), "the queued frames are delivered");
        SpdyWindowUpdateFrame update = next(SpdyWindowUpdateFrame.class);
        assertEquals(WINDOW, update.deltaWindowSize());
    }

    @Test
    void responseDataWaitsForTheStreamWindowThenForTheSessionWindow() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        Channel stream = recorders.get(0).channel;
        stream.writeAndFlush(data(1, 100_000, true));
        SpdyDataFrame first = next(SpdyDataFrame.class);
        assertEquals(1, first.streamId());
        assertEquals(WINDOW, first.content().readableBytes(), "the client's initial window");
        assertFalse(first.isLast());
        first.release();
        assertNull(ch.readOutbound());
        ch.writeInbound(new DefaultSpdyWindowUpdateFrame(1, 100_000));
        assertNull(ch.readOutbound(), "the session window is spent too");
        ch.writeInbound(new DefaultSpdyWindowUpdateFrame(0, 100_000));
        SpdyDataFrame rest = next(SpdyDataFrame.class);
        assertEquals(100_000 - WINDOW, rest.content().readableBytes());
        assertTrue(rest.isLast());
        rest.release();
    }

    @Test
    void spdy3SendsOnTheStreamWindowAlone() {
        session(SpdyLimits.defaults(), false);
        next(SpdySettingsFrame.class);
        ch.writeInbound(syn(1, true));
        recorders.get(0).channel.writeAndFlush(data(1, 100_000, true));
        ReferenceCountUtil.release(next(SpdyDataFrame.class));
        ch.writeInbound(new DefaultSpdyWindowUpdateFrame(1, 100_000));
        SpdyDataFrame rest = next(SpdyDataFrame.class);
        assertEquals(100_000 - WINDOW, rest.content().readableBytes());
        rest.release();
    }

    @Test
    void aNewInitialWindowMovesTheWindowsOfOpenStreams() {
        session(SpdyLimits.defaults(), false);
        next(SpdySettingsFrame.class);
        ch.writeInbound(syn(1, true));
        SpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 10);
        ch.writeInbound(settings);
        recorders.get(0).channel.writeAndFlush(data(1, 100, true));
        SpdyDataFrame part = next(SpdyDataFrame.class);
        assertEquals(10, part.content().readableBytes());
        part.release();
    }

    @Test
    void clientPingsAreAnsweredAndAFloodEndsTheSession() {
        session(limits(100, WINDOW, 3), true);
        skipStartFrames();
        ch.writeInbound(new DefaultSpdyPingFrame(1));
        assertEquals(1, next(SpdyPingFrame.class).id());
        ch.writeInbound(new DefaultSpdyPingFrame(2));
        assertNull(ch.readOutbound(), "an even id answers a ping of ours");
        ch.writeInbound(new DefaultSpdyPingFrame(3));
        next(SpdyPingFrame.class);
        SpdySessionException e = assertThrows(SpdySessionException.class, () -> ch.writeInbound(new DefaultSpdyPingFrame(5)));
        assertEquals(SpdySessionException.Kind.FRAME_FLOOD, e.kind());
        next(SpdyGoAwayFrame.class);
    }

    @Test
    void aResetFromTheClientClosesTheStreamWithoutAnswer() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        ch.writeInbound(new DefaultSpdyRstStreamFrame(1, SpdyStreamStatus.CANCEL));
        assertFalse(recorders.get(0).channel.isOpen());
        assertNull(ch.readOutbound());
    }

    @Test
    void aStreamClosedWhileTheClientStillSendsIsCancelled() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        recorders.get(0).channel.close();
        SpdyRstStreamFrame rst = next(SpdyRstStreamFrame.class);
        assertEquals(SpdyStreamStatus.CANCEL, rst.status());
    }

    @Test
    void aStreamFinishedBothWaysClosesWithoutAReset() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        Channel stream = recorders.get(0).channel;
        stream.writeAndFlush(data(1, 10, true));
        ReferenceCountUtil.release(next(SpdyDataFrame.class));
        ch.runPendingTasks();
        assertFalse(stream.isOpen(), "both ends sent FIN");
        assertNull(ch.readOutbound());
    }

    @Test
    void closingTheSessionSendsGoAwayAndWaitsForOpenStreams() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        ch.close();
        SpdyGoAwayFrame away = next(SpdyGoAwayFrame.class);
        assertEquals(SpdySessionStatus.OK, away.status());
        assertEquals(1, away.lastGoodStreamId());
        assertTrue(ch.isOpen(), "the accepted stream may finish");
        ch.writeInbound(syn(3, true));
        assertEquals(SpdyStreamStatus.REFUSED_STREAM, next(SpdyRstStreamFrame.class).status());
        recorders.get(0).channel.writeAndFlush(data(1, 10, true));
        ReferenceCountUtil.release(next(SpdyDataFrame.class));
        ch.runPendingTasks();
        assertFalse(ch.isOpen(), "closed once the last stream finished");
    }

    @Test
    void anIdleSessionWithoutStreamsGetsGoAwayAndCloses() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertEquals(SpdySessionStatus.OK, next(SpdyGoAwayFrame.class).status());
        assertFalse(ch.isOpen());
    }

    @Test
    void anIdleSessionWithAStreamInProgressIsLeftAlone() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, true));
        ch.pipeline().fireUserEventTriggered(io.netty.handler.timeout.IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertNull(ch.readOutbound());
        assertTrue(ch.isOpen());
    }

    @Test
    void aHeadersFrameThatDoesNotEndTheRequestIsRefusedOnArrival() {
        session(SpdyLimits.defaults(), true);
        skipStartFrames();
        ch.writeInbound(syn(1, false));
        ch.writeInbound(new DefaultSpdyHeadersFrame(1));
        SpdyRstStreamFrame rst = next(SpdyRstStreamFrame.class);
        assertEquals(SpdyStreamStatus.PROTOCOL_ERROR, rst.status());
        assertEquals(List.of("a HEADERS frame that does not end the request"), malformed);
    }

    @Test
    void anEmptyLastFrameGoesOutWhenALoweredInitialWindowLeftTheStreamNegative() {
        session(SpdyLimits.defaults(), false);
        next(SpdySettingsFrame.class);
        ch.writeInbound(syn(1, true));
        Channel stream = recorders.get(0).channel;
        stream.writeAndFlush(data(1, 1000, false));
        ReferenceCountUtil.release(next(SpdyDataFrame.class));
        SpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, 10);
        ch.writeInbound(settings); // 1000 sent against a window of 10: the send window is now negative
        stream.writeAndFlush(data(1, 0, true));
        SpdyDataFrame last = next(SpdyDataFrame.class);
        assertTrue(last.isLast());
        assertEquals(0, last.content().readableBytes());
        last.release();
    }

    @Test
    void aNewInitialWindowThatWouldOverflowAStreamWindowResetsThatStream() {
        session(SpdyLimits.defaults(), false);
        next(SpdySettingsFrame.class);
        ch.writeInbound(syn(1, true));
        ch.writeInbound(new DefaultSpdyWindowUpdateFrame(1, Integer.MAX_VALUE - WINDOW));
        SpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, WINDOW + 1);
        ch.writeInbound(settings);
        SpdyRstStreamFrame rst = next(SpdyRstStreamFrame.class);
        assertEquals(SpdyStreamStatus.FLOW_CONTROL_ERROR, rst.status());
    }

    /** Records what a stream reads. */
    private static final class Recorder extends ChannelInboundHandlerAdapter {
        final List<Object> read = new ArrayList<>();
        Channel channel;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            read.add(msg);
        }

        void releaseAll() {
            read.forEach(ReferenceCountUtil::release);
            read.clear();
        }
    }
}
