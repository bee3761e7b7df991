package dev.muxgate.httpcore.connect;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One end of an in-process channel pair: what a socket is to a TCP connection, without the socket.
 * Messages written on one end are handed by reference to the other end's inbound queue and read
 * there on its own event loop; nothing is copied and no kernel is involved.
 *
 * <p>It needs no {@code IoHandle}, so it registers on any event loop (epoll, NIO, a stream's loop),
 * as {@code Http2StreamChannel} does. Its semantics are a socket's: the peer's inbound queue is a
 * receive window of {@code high water mark} bytes; a writer facing a full window keeps the rest in
 * its outbound buffer, so its writability follows the bytes in flight; a close is a FIN after the
 * data already sent; {@link #shutdownOutput()} is a half-close the peer sees as input shutdown.
 */
public final class PipeChannel extends AbstractChannel implements DuplexChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    /** Queue markers: the peer half-closed, the peer closed. Both follow the data sent before them. */
    private static final Object END_OF_INPUT = new Object();
    private static final Object PEER_CLOSED = new Object();

    /** Bytes counted for a message that is not a buffer, as Netty's default size estimator does. */
    private static final int UNKNOWN_MESSAGE_SIZE = 8;

    /** Messages handed to the pipeline per read, as a socket channel's default allocator does. */
    private static final int MAX_MESSAGES_PER_READ = 16;

    private enum State { NEW, ACTIVE, CLOSED }

    private final PipeChannelConfig config;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private PipeChannel peer;

    private volatile State state = State.NEW;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;

    /** Filled by the peer's writes, drained by our reads; touched only on our event loop. */
    private final ArrayDeque<Object> inbound = new ArrayDeque<>();
    /** Bytes in {@link #inbound}: raised by the peer when it sends, lowered by us when we read. */
    private final AtomicLong inboundBytes = new AtomicLong();
    /** Set by a writer that stopped because our window was full; we wake it when we drain. */
    private final AtomicBoolean writerWaiting = new AtomicBoolean();

    /** Our loop once registered; what the peer sends before that waits in {@link #early}. */
    private volatile EventLoop loop;
    /** Sent by the peer before we were registered (it may register first and write in channelActive). */
    private ArrayDeque<Object> early; // guarded by this

    private boolean readRequested;
    private boolean deliveryScheduled;

    private final Runnable deliverTask = this::deliver;
    private final Runnable resumeWritesTask = this::resumeWrites;

    private PipeChannel(SocketAddress localAddress, SocketAddress remoteAddress) {
        super(null);
        this.config = new PipeChannelConfig(this);
        this.localAddress = localAddress;
        this.remoteAddress = remoteAddress;
    }

    /**
     * Makes a connected pair. {@code first} gets {@code firstAddress} as its local address and
     * {@code secondAddress} as its remote one, and the other way round.
     */
    public static PipeChannel[] newPair(SocketAddress firstAddress, SocketAddress secondAddress) {
        PipeChannel first = new PipeChannel(firstAddress, secondAddress);
        PipeChannel second = new PipeChannel(secondAddress, firstAddress);
        first.peer = second;
        second.peer = first;
        return new PipeChannel[] {first, second};
    }

    /** The other end. */
    public PipeChannel peer() {
        return peer;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return true;
    }

    @Override
    protected SocketAddress localAddress0() {
        return localAddress;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remoteAddress;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new PipeUnsafe();
    }

    @Override
    @SuppressWarnings("deprecation")
    protected void doRegister() {
        synchronized (this) {
            if (early != null) {
                inbound.addAll(early);
                early = null;
            }
            loop = eventLoop();
        }
        if (state == State.NEW) {
            state = State.ACTIVE;
        }
    }

    @Override
    protected void doBind(SocketAddress localAddress) throws Exception {
        throw new UnsupportedOperationException("a pipe channel is born connected");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    @Override
    protected void doClose() {
        if (state == State.CLOSED) {
            return;
        }
        synchronized (this) {
            state = State.CLOSED;
            if (early != null) {
                inbound.addAll(early);
                early = null;
            }
        }
        releaseInbound();
        PipeChannel p = peer;
        if (p.state != State.CLOSED) {
            p.enqueueFromPeer(PEER_CLOSED, 0);
        }
        // A peer blocked on our full window must learn now that its held writes will never land.
        if (writerWaiting.getAndSet(false)) {
            EventLoop loop = p.loop;
            if (loop != null) {
                loop.execute(p.resumeWritesTask);
            }
        }
    }

    @Override
    protected void doShutdownOutput() {
        if (outputShutdown) {
            return;
        }
        outputShutdown = true;
        PipeChannel p = peer;
        if (p.state != State.CLOSED) {
            p.enqueueFromPeer(END_OF_INPUT, 0);
        }
    }

    @Override
    protected void doBeginRead() {
        if (state == State.CLOSED) {
            return;
        }
        readRequested = true;
        if (!inbound.isEmpty()) {
            scheduleDelivery();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) throws Exception {
        PipeChannel p = peer;
        long window = p.config.getWriteBufferHighWaterMark();
        for (;;) {
            Object msg = in.current();
            if (msg == null) {
                return;
            }
            if (p.state == State.CLOSED || outputShutdown) {
                in.remove(new ClosedChannelException());
                continue;
            }
            if (p.inboundBytes.get() >= window) {
                // A full receive window: keep the rest in our outbound buffer (it now counts against
                // our water marks) until the peer drains and wakes us, as a socket waits for POLLOUT.
                // The peer's close also wakes us; re-reading its state after raising the flag closes
                // the race with a close that looked at the flag before we set it.
                p.writerWaiting.set(true);
                if (p.inboundBytes.get() >= window && p.state != State.CLOSED) {
                    return;
                }
                p.writerWaiting.set(false);
                continue;
            }
            int size = sizeOf(msg);
            ReferenceCountUtil.retain(msg);
            // Hand over before completing the promise: a listener that closes (writeAndFlush(..)
            // .addListener(CLOSE)) must queue its FIN behind this message, not in front of it.
            p.enqueueFromPeer(msg, size);
            in.remove();
        }
    }

    /** Called by the peer (on its loop) with a message it sent us. */
    private void enqueueFromPeer(Object msg, int size) {
        inboundBytes.addAndGet(size);
        EventLoop loop = this.loop;
        if (loop == null) {
            synchronized (this) {
                loop = this.loop;
                if (loop == null) {
                    // Not registered yet (the peer registered first and wrote or closed in
                    // channelActive): keep it for our registration, counted against our window.
                    if (state == State.CLOSED) {
                        drop(msg, size);
                    } else {
                        if (early == null) {
                            early = new ArrayDeque<>();
                        }
                        early.add(msg);
                    }
                    return;
                }
            }
        }
        if (loop.inEventLoop()) {
            acceptInbound(msg);
        } else {
            try {
                loop.execute(() -> acceptInbound(msg));
            } catch (RejectedExecutionException e) {
                drop(msg, size); // our loop is shutting down: nobody will ever read it
            }
        }
    }

    private void drop(Object msg, int size) {
        inboundBytes.addAndGet(-size);
        ReferenceCountUtil.release(msg);
    }

    private void acceptInbound(Object msg) {
        if (state == State.CLOSED) {
            drop(msg, sizeOf(msg));
            return;
        }
        if (inputShutdown) {
            // Nothing more will be read: data is discarded, and the peer's close needs no read()
            // to be seen (a half-closed end would otherwise stay open after its peer is gone).
            if (msg == PEER_CLOSED) {
                unsafe().close(voidPromise());
            } else {
                drop(msg, sizeOf(msg));
                wakeWriterIfRoom();
            }
            return;
        }
        inbound.add(msg);
        if (readRequested) {
            scheduleDelivery();
        }
    }

    private void scheduleDelivery() {
        if (!deliveryScheduled) {
            deliveryScheduled = true;
            // Always deferred, even on our own loop: a write never re-enters the peer's pipeline,
            // so request/response ping-pong cannot grow the stack, and one flush is one delivery.
            eventLoop().execute(deliverTask);
        }
    }

    private void deliver() {
        deliveryScheduled = false;
        if (state == State.CLOSED || !readRequested || inbound.isEmpty()) {
            return;
        }
        readRequested = false;
        ChannelPipeline pipeline = pipeline();
        int delivered = 0;
        boolean closeAfter = false;
        boolean endOfInput = false;
        long bytes = 0;
        do {
            Object msg = inbound.poll();
            if (msg == null) {
                break;
            }
            if (msg == PEER_CLOSED) {
                closeAfter = true;
                break;
            }
            if (msg == END_OF_INPUT) {
                endOfInput = true;
                break;
            }
            int size = sizeOf(msg);
            bytes += size;
            delivered++;
            pipeline.fireChannelRead(msg);
        } while (delivered < MAX_MESSAGES_PER_READ && config.isAutoRead() && state != State.CLOSED);

        if (bytes > 0) {
            inboundBytes.addAndGet(-bytes);
            wakeWriterIfRoom();
        }
        if (delivered > 0) {
            pipeline.fireChannelReadComplete();
        }
        if (endOfInput) {
            onEndOfInput();
            if (isOpen() && inbound.peek() == PEER_CLOSED) {
                unsafe().close(voidPromise()); // the peer closed after half-closing
            }
        } else if (closeAfter) {
            unsafe().close(voidPromise());
        } else if (readRequested && !inbound.isEmpty()) {
            scheduleDelivery();
        }
    }

    private void onEndOfInput() {
        if (inputShutdown) {
            return;
        }
        if (config.isAllowHalfClosure()) {
            inputShutdown = true;
            pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        } else {
            unsafe().close(voidPromise());
        }
    }

    private void wakeWriterIfRoom() {
        if (inboundBytes.get() <= config.getWriteBufferLowWaterMark() && writerWaiting.getAndSet(false)) {
            PipeChannel writer = peer;
            EventLoop loop = writer.loop;
            if (loop != null) {
                loop.execute(writer.resumeWritesTask);
            }
        }
    }

    private void resumeWrites() {
        if (isOpen()) {
            ((PipeUnsafe) unsafe()).resumeFlush();
        }
    }

    /** Releases everything queued; tells whether the peer's close was among it. */
    private boolean releaseInbound() {
        long bytes = 0;
        boolean peerClosed = false;
        for (Object msg; (msg = inbound.poll()) != null; ) {
            if (msg == PEER_CLOSED) {
                peerClosed = true;
            } else if (msg != END_OF_INPUT) {
                bytes += sizeOf(msg);
                ReferenceCountUtil.release(msg);
            }
        }
        inboundBytes.addAndGet(-bytes);
        return peerClosed;
    }

    /** Auto-read was turned off: a read it requested must not deliver, as on a socket. */
    void clearReadRequest() {
        EventLoop loop = this.loop;
        if (loop == null) {
            return;
        }
        if (loop.inEventLoop()) {
            readRequested = false;
        } else {
            loop.execute(() -> readRequested = false);
        }
    }

    private static int sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ByteBufHolder holder) {
            return holder.content().readableBytes();
        }
        return msg == PEER_CLOSED || msg == END_OF_INPUT ? 0 : UNKNOWN_MESSAGE_SIZE;
    }

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || state == State.CLOSED;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || state == State.CLOSED;
    }

    @Override
    public boolean isShutdown() {
        return isInputShutdown() && isOutputShutdown();
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            loop.execute(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
        }
        return promise;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        EventLoop loop = eventLoop();
        if (loop.inEventLoop()) {
            shutdownInput0(promise);
        } else {
            loop.execute(() -> shutdownInput0(promise));
        }
        return promise;
    }

    private void shutdownInput0(ChannelPromise promise) {
        inputShutdown = true;
        boolean peerClosed = releaseInbound();
        promise.setSuccess();
        if (peerClosed) {
            unsafe().close(voidPromise());
        } else {
            wakeWriterIfRoom();
        }
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        ChannelFuture output = shutdownOutput();
        output.addListener(f -> shutdownInput(promise));
        return promise;
    }

    @Override
    public String toString() {
        return "PipeChannel[" + localAddress + " => " + remoteAddress + ", " + state + ']';
    }

    private final class PipeUnsafe extends AbstractUnsafe {

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException("a pipe channel is born connected"));
        }

        /** Retries the writes a full window held back, without flushing anything new. */
        void resumeFlush() {
            flush0();
        }
    }
}
