package dev.muxgate.spdy.spdy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.UnsupportedMessageTypeException;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

/**
 * One SPDY stream as a child {@link Channel} of its session's connection, as Netty models an
 * HTTP/2 stream: so the {@code StreamBridge} that serves HTTP/2 streams serves SPDY streams too.
 *
 * <p>Inbound, the session hands it the stream's frames; they wait in a queue (bounded by the
 * stream's receive window) until the pipeline reads them, and what is read is credited back to the
 * client with WINDOW_UPDATE, so a core that stops reading stops the client. Outbound, frames wait
 * in the channel's own outbound buffer until the stream's send window, the SPDY/3.1 session window
 * and the connection's writability all allow them; the buffer's water marks make the stream
 * unwritable meanwhile, which stops the bridge reading the core. Lives on the session's event loop
 * and is touched only there.
 */
final class SpdyStreamChannel extends AbstractChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final SpdyServerSession session;
    private final int streamId;
    private final StreamConfig config;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);

    private boolean open = true;
    private boolean registered;
    private boolean readRequested;
    private boolean delivering;

    /** What the client may still send before we credit it. */
    int receiveWindow;
    /** Bytes read by the pipeline and not yet credited to the client. */
    int unacknowledged;
    /** What we may still send on this stream. */
    int sendWindow;
    boolean remoteClosed;
    boolean localClosed;
    boolean resetSent;
    boolean resetReceived;
    /** Outbound frames wait for a window or for the connection to drain. */
    private boolean blocked;
    /** ... and it is the connection they wait for. */
    private boolean blockedOnConnection;

    SpdyStreamChannel(Channel parent, SpdyServerSession session, int streamId, int sendWindow, int receiveWindow) {
        super(parent);
        this.session = session;
        this.streamId = streamId;
        this.sendWindow = sendWindow;
        this.receiveWindow = receiveWindow;
        this.config = new StreamConfig(this);
    }

    int streamId() {
        return streamId;
    }

    /** A frame of this stream from the client: queued for the pipeline, delivered if a read waits. */
    void receive(Object frame) {
        if (!open) {
            ReferenceCountUtil.release(frame);
            return;
        }
        inbound.add(frame);
        if (readRequested) {
            deliver();
        }
    }

    /** The session finished a read of the connection: end this stream's read batch too. */
    void readCompleteFromSession() {
        if (open) {
            pipeline().fireChannelReadComplete();
        }
    }

    private void deliver() {
        if (delivering || !registered) {
            return;
        }
        delivering = true;
        boolean delivered = false;
        try {
            while (open && readRequested && !inbound.isEmpty()) {
                Object msg = inbound.poll();
                if (msg instanceof SpdyDataFrame data) {
                    // Credited once read: what the client may send follows what the core takes.
                    session.consumed(this, data.content().readableBytes());
                }
                delivered = true;
                pipeline().fireChannelRead(msg);
                if (!config.isAutoRead()) {
                    readRequested = false;
                }
            }
        } finally {
            delivering = false;
        }
        if (delivered) {
            readRequested = false;
            session.readCompleteLater(this);
        }
    }

    /** The session can send again (a window opened, the connection drained): retry held frames. */
    void resumeWrites() {
        if (open && blocked) {
            // A no-op when it comes from inside our own write (the connection drained as we flushed
            // it): doWrite then sees the connection writable again and carries on by itself.
            ((StreamUnsafe) unsafe()).resumeFlush();
        }
    }

    /** Closes the stream from the session's side (a reset from the client, the session's end). */
    void closeFromSession() {
        if (open) {
            unsafe().close(voidPromise());
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        for (;;) {
            blocked = false;
            blockedOnConnection = false;
            if (writeQueued(in)) {
                session.flushLater();
                if (localClosed && remoteClosed) {
                    // Both ends finished: the stream is done; the bridge closes it too, this is just sooner.
                    session.streamFinished(this);
                }
            }
            // Flushing may have drained the connection, and its writability event cannot re-enter
            // this write: look again rather than wait for an event that has passed.
            if (!blockedOnConnection || !session.connectionWritable()) {
                return;
            }
        }
    }

    /** Hands the session what the windows and the connection allow; true if anything was written. */
    private boolean writeQueued(ChannelOutboundBuffer in) {
        boolean wrote = false;
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                return wrote;
            }
            if (resetSent || resetReceived || localClosed) {
                in.remove(new ClosedChannelException());
                continue;
            }
            if (msg instanceof SpdyRstStreamFrame rst) {
                // Never held back: a reset ends the stream's use of every window.
                resetSent = true;
                in.remove();
                session.writeReset(this, rst.status());
                wrote = true;
                continue;
            }
            if (!session.connectionWritable()) {
                blocked = true;
                blockedOnConnection = true;
                return wrote;
            }
            if (msg instanceof SpdyDataFrame data) {
                ByteBuf content = data.content();
                int size = content.readableBytes();
                // A client that lowered the initial window can leave it negative; an empty last
                // frame still goes out.
                int allowed = Math.max(0, session.sendable(this));
                if (size > 0 && allowed <= 0) {
                    blocked = true;
                    return wrote;
                }
                if (size > allowed) {
                    // The window takes part of it now; the rest stays queued (still counted against
                    // the water marks) until the client opens the window.
                    session.writeData(this, new DefaultSpdyDataFrame(streamId, content.readRetainedSlice(allowed)));
                    wrote = true;
                    continue;
                }
                SpdyDataFrame frame = new DefaultSpdyDataFrame(streamId, content.retain());
                frame.setLast(data.isLast());
                in.remove();
                localClosed = frame.isLast();
                session.writeData(this, frame);
                wrote = true;
            } else if (msg instanceof SpdyHeadersFrame headers) {
                // SYN_REPLY or trailing HEADERS: not flow controlled, ordered with the data.
                headers.setStreamId(streamId);
                ReferenceCountUtil.retain(msg);
                in.remove();
                localClosed = headers.isLast();
                session.writeFrame(headers);
                wrote = true;
            } else {
                in.remove(new UnsupportedMessageTypeException(msg, SpdyDataFrame.class, SpdyHeadersFrame.class));
            }
        }
    }

    @Override
    protected void doBeginRead() {
        if (!open) {
            return;
        }
        readRequested = true;
        if (!inbound.isEmpty()) {
            deliver();
        }
    }

    @Override
    protected void doClose() {
        if (!open) {
            return;
        }
        open = false;
        for (Object msg; (msg = inbound.poll()) != null; ) {
            ReferenceCountUtil.release(msg);
        }
        session.streamClosed(this);
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void doRegister() {
        registered = true;
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("a SPDY stream is opened by its client");
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return parent().remoteAddress();
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && registered;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public String toString() {
        return "SpdyStreamChannel[" + streamId + " of " + parent() + ']';
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a SPDY stream is opened by its client"));
        }

        void resumeFlush() {
            flush0();
        }
    }

    /** Turning auto-read off withdraws the read it had requested, as on a socket. */
    private static final class StreamConfig extends DefaultChannelConfig {
        private final SpdyStreamChannel stream;

        StreamConfig(SpdyStreamChannel stream) {
            super(stream);
            this.stream = stream;
        }

        @Override
        protected void autoReadCleared() {
            stream.readRequested = false;
        }
    }
}
