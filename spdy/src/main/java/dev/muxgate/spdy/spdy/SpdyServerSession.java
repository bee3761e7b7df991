package dev.muxgate.spdy.spdy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.spdy.DefaultSpdyGoAwayFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySettingsFrame;
import io.netty.handler.codec.spdy.DefaultSpdyWindowUpdateFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyFrame;
import io.netty.handler.codec.spdy.SpdyGoAwayFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyPingFrame;
import io.netty.handler.codec.spdy.SpdyProtocolException;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdySessionStatus;
import io.netty.handler.codec.spdy.SpdySettingsFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyWindowUpdateFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The server side of one SPDY/3.1 or SPDY/3 session, between Netty's {@code SpdyFrameCodec} and the
 * streams: opens a {@link SpdyStreamChannel} per accepted SYN_STREAM, routes each stream's frames to
 * it, and keeps the session's state (the SETTINGS it sent and was sent, the send and receive
 * windows of SPDY/3.1's session and of each stream, the concurrent-stream limit, PING answers,
 * GOAWAY). Netty's own {@code SpdySessionHandler} is not used: it credits the client's windows as
 * frames arrive rather than as the core reads them, and queues what the client's windows hold back
 * without bound and without writability, so neither direction would be bounded.
 *
 * <p>Flood guards ({@link SpdyFloodGuard}) cut off a client that resets, pings or re-settles too
 * often, or that makes us queue control frames it never reads. A header block that inflates past
 * its bound, a frame the codec cannot read, or a stream id out of order ends the session with
 * GOAWAY(PROTOCOL_ERROR); the reason is then fired down the pipeline as a
 * {@link SpdySessionException}. Closing the session from outside is graceful: GOAWAY, and the
 * streams already accepted get the shutdown grace to finish.
 */
final class SpdyServerSession extends ChannelDuplexHandler {

    private final SpdyLimits limits;
    private final boolean sessionFlowControl;
    private final Duration shutdownGrace;
    private final Consumer<String> malformed;
    private final Consumer<SpdyStreamChannel> streamInitializer;
    private final IntObjectMap<SpdyStreamChannel> streams = new IntObjectHashMap<>();
    private final List<SpdyStreamChannel> readCompletePending = new ArrayList<>();

    private ChannelHandlerContext ctx;
    private SpdyFloodGuard guard;
    private boolean started;
    private int lastStreamId;
    private int lastAcceptedStreamId;
    private int initialSendWindow = SpdyLimits.DEFAULT_WINDOW;
    private int sessionSendWindow = SpdyLimits.DEFAULT_WINDOW;
    private int sessionReceiveWindow = SpdyLimits.DEFAULT_WINDOW;
    private int sessionUnacknowledged;
    private boolean inReadLoop;
    private boolean endBatchScheduled;
    private final Runnable endBatchTask = () -> {
        endBatchScheduled = false;
        endReadBatch();
    };
    private boolean flushPending;
    private boolean goAwaySent;
    private boolean goAwayReceived;
    private boolean failed;
    private ChannelPromise closePromise;
    private ScheduledFuture<?> graceTimer;

    /**
     * @param sessionFlowControl SPDY/3.1: the session has a window of its own (stream 0)
     * @param malformed          told the reason of each request refused before it had a stream
     * @param streamInitializer  fills the pipeline of each new stream before it is registered
     */
    SpdyServerSession(SpdyLimits limits, boolean sessionFlowControl, Duration shutdownGrace,
                      Consumer<String> malformed, Consumer<SpdyStreamChannel> streamInitializer) {
        this.limits = limits;
        this.sessionFlowControl = sessionFlowControl;
        this.shutdownGrace = shutdownGrace;
        this.malformed = malformed;
        this.streamInitializer = streamInitializer;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.guard = new SpdyFloodGuard(limits, System.nanoTime());
        if (ctx.channel().isActive()) {
            start();
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        start();
        ctx.fireChannelActive();
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        SpdySettingsFrame settings = new DefaultSpdySettingsFrame();
        settings.setValue(SpdySettingsFrame.SETTINGS_MAX_CONCURRENT_STREAMS, limits.maxConcurrentStreams());
        settings.setValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE, limits.initialWindowBytes());
        ctx.write(settings, ctx.voidPromise());
        if (sessionFlowControl && limits.sessionWindowBytes() > SpdyLimits.DEFAULT_WINDOW) {
            // SPDY/3.1 2.6.8: the session window starts at 64k for both ends; only an update raises it.
            int raise = limits.sessionWindowBytes() - SpdyLimits.DEFAULT_WINDOW;
            sessionReceiveWindow += raise;
            ctx.write(new DefaultSpdyWindowUpdateFrame(0, raise), ctx.voidPromise());
        }
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        inReadLoop = true;
        if (failed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof SpdyDataFrame data) {
            onData(data);
        } else if (msg instanceof SpdySynStreamFrame syn) {
            onSynStream(syn);
        } else if (msg instanceof SpdySynReplyFrame reply) {
            // Only the server's own streams get replies, and it opens none.
            resetUnopened(reply.streamId(), SpdyStreamStatus.PROTOCOL_ERROR);
        } else if (msg instanceof SpdyHeadersFrame headers) {
            onHeaders(headers);
        } else if (msg instanceof SpdyWindowUpdateFrame update) {
            onWindowUpdate(update);
        } else if (msg instanceof SpdyRstStreamFrame rst) {
            onReset(rst);
        } else if (msg instanceof SpdyPingFrame ping) {
            onPing(ping);
        } else if (msg instanceof SpdySettingsFrame settings) {
            onSettings(settings);
        } else if (msg instanceof SpdyGoAwayFrame) {
            goAwayReceived = true;
            closeIfDone();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endReadBatch();
        ctx.fireChannelReadComplete();
    }

    /**
     * Ends the current read of the connection: the streams that read in it end their read batches
     * (so the bridge flushes into the core once per batch), and what they wrote is flushed once.
     */
    private void endReadBatch() {
        inReadLoop = false;
        if (!readCompletePending.isEmpty()) {
            SpdyStreamChannel[] pending = readCompletePending.toArray(new SpdyStreamChannel[0]);
            readCompletePending.clear();
            for (SpdyStreamChannel stream : pending) {
                stream.readCompleteFromSession();
            }
        }
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    /**
     * A safety net behind {@link #channelReadComplete}: should a read ever not be followed by a
     * read-complete, no stream's batch stays unfinished and no write unflushed. Runs after the
     * current event-loop task, by which time the read-complete has normally done it, so batching holds.
     */
    private void endReadBatchSoon() {
        if (!endBatchScheduled) {
            endBatchScheduled = true;
            ctx.executor().execute(endBatchTask);
        }
    }

    private void onSynStream(SpdySynStreamFrame syn) {
        int id = syn.streamId();
        if ((id & 1) == 0 || id <= lastStreamId) {
            fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL,
                    "SYN_STREAM ids must be odd and increasing, got " + id + " after " + lastStreamId));
            return;
        }
        lastStreamId = id;
        if (goAwaySent || goAwayReceived) {
            resetUnopened(id, SpdyStreamStatus.REFUSED_STREAM);
            return;
        }
        String refusal = syn.isInvalid() ? "invalid header block"
                : syn.isTruncated() ? "header block larger than " + limits.maxHeaderBlockBytes() + " bytes"
                : syn.isUnidirectional() || syn.associatedStreamId() != 0 ? "unidirectional or associated stream"
                : null;
        if (refusal != null) {
            malformed.accept(refusal);
            resetUnopened(id, SpdyStreamStatus.PROTOCOL_ERROR);
            return;
        }
        if (streams.size() >= limits.maxConcurrentStreams()) {
            resetUnopened(id, SpdyStreamStatus.REFUSED_STREAM);
            return;
        }
        lastAcceptedStreamId = id;
        SpdyStreamChannel stream = new SpdyStreamChannel(ctx.channel(), this, id, initialSendWindow,
                limits.initialWindowBytes());
        stream.remoteClosed = syn.isLast();
        streams.put(id, stream);
        streamInitializer.accept(stream);
        ChannelFuture registered = ctx.channel().eventLoop().register(stream);
        if (registered.isDone() && !registered.isSuccess()) {
            streams.remove(id);
            resetUnopened(id, SpdyStreamStatus.INTERNAL_ERROR);
            return;
        }
        stream.receive(syn);
    }

    private void onData(SpdyDataFrame data) {
        int id = data.streamId();
        int size = data.content().readableBytes();
        if (sessionFlowControl) {
            sessionReceiveWindow -= size;
            if (sessionReceiveWindow < 0) {
                data.release();
                fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, "DATA past the session window"));
                return;
            }
            // Credited on arrival: each stream's own window already bounds what it can hold unread.
            sessionUnacknowledged += size;
            if (sessionUnacknowledged >= limits.sessionWindowBytes() / 2) {
                sessionReceiveWindow += sessionUnacknowledged;
                writeControl(new DefaultSpdyWindowUpdateFrame(0, sessionUnacknowledged));
                sessionUnacknowledged = 0;
            }
        }
        SpdyStreamChannel stream = streams.get(id);
        if (stream == null) {
            data.release();
            if (id > lastStreamId) {
                fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, "DATA on stream " + id
                        + ", which was never opened"));
            }
            // Otherwise frames in flight after we ended the stream: dropped.
            return;
        }
        if (stream.remoteClosed) {
            data.release();
            resetStream(stream, SpdyStreamStatus.STREAM_ALREADY_CLOSED);
            return;
        }
        if (size == 0 && !data.isLast()) {
            // Costs no window, so the window would not bound a queue of them: dropped on arrival,
            // as the stream codec would drop it anyway.
            data.release();
            return;
        }
        stream.receiveWindow -= size;
        if (stream.receiveWindow < 0) {
            data.release();
            resetStream(stream, SpdyStreamStatus.FLOW_CONTROL_ERROR);
            return;
        }
        stream.remoteClosed = data.isLast();
        stream.receive(data);
        if (stream.remoteClosed && stream.localClosed) {
            streamFinished(stream);
        }
    }

    private void onHeaders(SpdyHeadersFrame headers) {
        SpdyStreamChannel stream = streams.get(headers.streamId());
        if (stream == null || stream.remoteClosed) {
            return;
        }
        if (headers.isInvalid() || headers.isTruncated()) {
            malformed.accept("invalid or too large HEADERS block");
            resetStream(stream, SpdyStreamStatus.PROTOCOL_ERROR);
            return;
        }
        if (!headers.isLast()) {
            // Only trailers that end the request are served (the stream codec refuses the rest);
            // refused here, on arrival, so such frames cannot pile up behind a slow core.
            malformed.accept("a HEADERS frame that does not end the request");
            resetStream(stream, SpdyStreamStatus.PROTOCOL_ERROR);
            return;
        }
        stream.remoteClosed = true;
        stream.receive(headers);
    }

    private void onWindowUpdate(SpdyWindowUpdateFrame update) {
        int id = update.streamId();
        long delta = update.deltaWindowSize();
        if (id == 0) {
            if (!sessionFlowControl) {
                return; // SPDY/3 has no session window.
            }
            if (sessionSendWindow + delta > Integer.MAX_VALUE) {
                fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, "session window past 2^31-1"));
                return;
            }
            sessionSendWindow += (int) delta;
            resumeAll();
            return;
        }
        SpdyStreamChannel stream = streams.get(id);
        if (stream == null) {
            return;
        }
        if (stream.sendWindow + delta > Integer.MAX_VALUE) {
            resetStream(stream, SpdyStreamStatus.FLOW_CONTROL_ERROR);
            return;
        }
        stream.sendWindow += (int) delta;
        stream.resumeWrites();
    }

    private void onReset(SpdyRstStreamFrame rst) {
        SpdyStreamChannel stream = streams.get(rst.streamId());
        // A reset of a stream that was opened and has ended is the client's echo of our frames in
        // flight (one per DATA frame, as SPDY/3.1 2.4.2 asks), not a reset it makes us work for.
        boolean stray = stream == null && rst.streamId() <= lastStreamId;
        SpdySessionException flood = stray ? guard.strayReset(System.nanoTime()) : guard.reset(System.nanoTime());
        if (flood != null) {
            fail(flood);
            return;
        }
        if (stream != null) {
            stream.resetReceived = true;
            stream.closeFromSession();
        }
    }

    private void onPing(SpdyPingFrame ping) {
        SpdySessionException flood = guard.ping(System.nanoTime());
        if (flood != null) {
            fail(flood);
            return;
        }
        // Odd ids are the client's own pings (SPDY/3 2.6.5); even ones would answer ours, and we send none.
        if ((ping.id() & 1) == 1) {
            writeControl(ping);
        }
    }

    private void onSettings(SpdySettingsFrame settings) {
        SpdySessionException flood = guard.settings(System.nanoTime());
        if (flood != null) {
            fail(flood);
            return;
        }
        if (settings.isSet(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE)) {
            int window = settings.getValue(SpdySettingsFrame.SETTINGS_INITIAL_WINDOW_SIZE);
            if (window < 0) {
                fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, "negative initial window"));
                return;
            }
            // SPDY/3 2.6.8: a new initial window moves every stream's send window by the difference.
            int delta = window - initialSendWindow;
            initialSendWindow = window;
            for (SpdyStreamChannel stream : streams.values().toArray(new SpdyStreamChannel[0])) {
                long moved = (long) stream.sendWindow + delta;
                if (moved > Integer.MAX_VALUE) {
                    // A window a WINDOW_UPDATE raised to the maximum cannot move further up.
                    resetStream(stream, SpdyStreamStatus.FLOW_CONTROL_ERROR);
                } else {
                    stream.sendWindow = (int) moved;
                }
            }
            resumeAll();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            guard.drained();
            resumeAll();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void resumeAll() {
        if (streams.isEmpty()) {
            return;
        }
        for (SpdyStreamChannel stream : streams.values().toArray(new SpdyStreamChannel[0])) {
            stream.resumeWrites();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            if (streams.isEmpty()) {
                ctx.channel().close();
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof SpdyProtocolException) {
            // The codec could not read a frame or a header block (including one that inflates past
            // its bound): nothing after it can be trusted.
            fail(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, String.valueOf(cause.getMessage())));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /** Graceful: GOAWAY, then the accepted streams get the grace to finish before the connection closes. */
    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (failed || !ctx.channel().isActive()) {
            ctx.close(promise);
            return;
        }
        sendGoAway(SpdySessionStatus.OK);
        if (streams.isEmpty()) {
            ctx.close(promise);
            return;
        }
        if (closePromise != null) {
            closePromise.addListener(f -> promise.trySuccess());
            return;
        }
        closePromise = promise;
        graceTimer = ctx.executor().schedule(() -> {
            ctx.close(closePromise);
        }, shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void sendGoAway(SpdySessionStatus status) {
        if (!goAwaySent) {
            goAwaySent = true;
            ctx.writeAndFlush(new DefaultSpdyGoAwayFrame(lastAcceptedStreamId, status), ctx.voidPromise());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (graceTimer != null) {
            graceTimer.cancel(false);
        }
        for (SpdyStreamChannel stream : streams.values().toArray(new SpdyStreamChannel[0])) {
            stream.closeFromSession();
        }
        streams.clear();
        ctx.fireChannelInactive();
    }

    /** Ends the session: GOAWAY(PROTOCOL_ERROR), close, and the reason down the pipeline to be counted. */
    private void fail(SpdySessionException reason) {
        if (failed) {
            return;
        }
        sendGoAway(SpdySessionStatus.PROTOCOL_ERROR);
        failed = true;
        ctx.close();
        ctx.fireExceptionCaught(reason);
    }

    // ---- called by the streams, on the session's loop ----

    boolean connectionWritable() {
        return ctx.channel().isWritable();
    }

    /** Bytes of DATA {@code stream} may send now: its window and, for SPDY/3.1, the session's. */
    int sendable(SpdyStreamChannel stream) {
        return sessionFlowControl ? Math.min(stream.sendWindow, sessionSendWindow) : stream.sendWindow;
    }

    void writeData(SpdyStreamChannel stream, SpdyDataFrame frame) {
        int size = frame.content().readableBytes();
        stream.sendWindow -= size;
        if (sessionFlowControl) {
            sessionSendWindow -= size;
        }
        ctx.write(frame, ctx.voidPromise());
    }

    void writeFrame(SpdyFrame frame) {
        ctx.write(frame, ctx.voidPromise());
    }

    /** A reset the stream's own pipeline asked for (a refused request, an abandoned response). */
    void writeReset(SpdyStreamChannel stream, SpdyStreamStatus status) {
        stream.resetSent = true;
        writeControl(new DefaultSpdyRstStreamFrame(stream.streamId(), status));
        countSentReset();
    }

    /** What the pipeline read of {@code stream}: credited back to the client once half the window is used. */
    void consumed(SpdyStreamChannel stream, int bytes) {
        if (stream.remoteClosed || bytes == 0) {
            return;
        }
        stream.unacknowledged += bytes;
        if (stream.unacknowledged >= limits.initialWindowBytes() / 2) {
            stream.receiveWindow += stream.unacknowledged;
            writeControl(new DefaultSpdyWindowUpdateFrame(stream.streamId(), stream.unacknowledged));
            stream.unacknowledged = 0;
            flushLater();
        }
    }

    /** Fires the stream's read-complete once the session's current read ends, or now outside one. */
    void readCompleteLater(SpdyStreamChannel stream) {
        if (inReadLoop) {
            if (!readCompletePending.contains(stream)) {
                readCompletePending.add(stream);
            }
            endReadBatchSoon();
        } else {
            stream.readCompleteFromSession();
        }
    }

    void flushLater() {
        if (inReadLoop) {
            flushPending = true;
            endReadBatchSoon();
        } else {
            ctx.flush();
        }
    }

    /** Both ends sent FIN: the stream is done, and closes once the current call unwinds. */
    void streamFinished(SpdyStreamChannel stream) {
        ctx.executor().execute(stream::closeFromSession);
    }

    /** The stream channel closed: forget it, and tell the client if it still thinks the stream open. */
    void streamClosed(SpdyStreamChannel stream) {
        if (streams.remove(stream.streamId()) == null) {
            return;
        }
        readCompletePending.remove(stream);
        if (!stream.resetSent && !stream.resetReceived && !(stream.localClosed && stream.remoteClosed)
                && ctx.channel().isActive() && !failed) {
            writeReset(stream, SpdyStreamStatus.CANCEL);
            flushLater();
        }
        closeIfDone();
    }

    private void resetStream(SpdyStreamChannel stream, SpdyStreamStatus status) {
        writeReset(stream, status);
        stream.closeFromSession();
    }

    private void resetUnopened(int id, SpdyStreamStatus status) {
        writeControl(new DefaultSpdyRstStreamFrame(id, status));
        countSentReset();
    }

    private void countSentReset() {
        SpdySessionException flood = guard.reset(System.nanoTime());
        if (flood != null) {
            fail(flood);
        }
    }

    private void writeControl(SpdyFrame frame) {
        if (failed) {
            return;
        }
        ctx.write(frame, ctx.voidPromise());
        flushLater();
        if (!ctx.channel().isWritable()) {
            SpdySessionException flood = guard.controlFrameQueued();
            if (flood != null) {
                fail(flood);
            }
        }
    }

    private void closeIfDone() {
        // After the connection closed, its close promise is done: closing again would throw.
        if (!streams.isEmpty() || failed || !ctx.channel().isActive()) {
            return;
        }
        if (closePromise != null) {
            ctx.close(closePromise);
        } else if (goAwayReceived) {
            ctx.channel().close();
        }
    }
}
