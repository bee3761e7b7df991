package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tunnel between two embedded channels: bytes both ways in order (those that came while the
 * sides were being switched included), each side's reading stopped while the other cannot take
 * more, one ending whichever side goes first, the idle time-out and the client's byte limit.
 */
class TunnelTest {

    private static final long IDLE_MS = 1000;

    private final List<String> endings = new ArrayList<>();
    private EmbeddedChannel client;
    private EmbeddedChannel origin;
    private Tunnel tunnel;

    /** The client side as ClientConnectionHandler drives it once it tunnels. */
    private final class ClientSide extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            origin = new EmbeddedChannel();
            tunnel = new Tunnel(ctx, origin, 1000, TimeUnit.MILLISECONDS.toNanos(IDLE_MS),
                    (result, why, up, down) -> endings.add(result + " " + why + " " + up + "/" + down));
            origin.pipeline().addLast(tunnel.originEnd());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            tunnel.fromClient(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            tunnel.clientReadComplete();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            tunnel.clientWritabilityChanged(ctx.channel().isWritable());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            tunnel.clientClosed();
        }
    }

    @BeforeEach
    void open() {
        client = new EmbeddedChannel(new ClientSide());
    }

    @AfterEach
    void release() {
        client.finishAndReleaseAll();
        origin.finishAndReleaseAll();
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static String read(EmbeddedChannel ch) {
        StringBuilder sb = new StringBuilder();
        for (Object m; (m = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) m;
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void bytesCrossBothWaysAndWhatCameDuringTheSwitchGoesFirst() {
        origin.writeInbound(text("early-down "));
        // The end of the 101 that the origin's codec hands on after the head: not tunnel bytes.
        origin.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        client.writeInbound(text("early-up "));
        assertEquals("", read(client), "nothing crosses before the switch is done");
        tunnel.start();
        assertEquals("early-down ", read(client));
        assertEquals("early-up ", read(origin));
        client.writeInbound(text("up"));
        origin.writeInbound(text("down"));
        assertEquals("up", read(origin));
        assertEquals("down", read(client));
        assertTrue(endings.isEmpty());
    }

    @Test
    void theOriginClosingEndsTheTunnelOnceAndClosesTheClient() {
        tunnel.start();
        origin.writeInbound(text("last words"));
        origin.close();
        assertEquals("last words", read(client));
        client.runPendingTasks();
        assertFalse(client.isActive(), "the client is closed after its last bytes");
        assertEquals(List.of("TCP_MISS origin closed 0/10"), endings);
        tunnel.clientClosed();
        assertEquals(1, endings.size(), "one ending");
    }

    @Test
    void theClientClosingClosesTheOrigin() {
        tunnel.start();
        client.writeInbound(text("bye"));
        client.close();
        assertEquals("bye", read(origin));
        origin.runPendingTasks();
        assertFalse(origin.isActive());
        assertEquals(List.of("TCP_MISS client closed 3/0"), endings);
    }

    @Test
    void aSideThatCannotTakeMoreStopsTheOtherFromReading() {
        tunnel.start();
        assertTrue(client.config().isAutoRead());
        origin.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        origin.runPendingTasks();
        assertFalse(origin.isWritable());
        client.writeInbound(text("more"));
        assertFalse(client.config().isAutoRead(), "the client waits for the origin");
        origin.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        origin.runPendingTasks();
        assertTrue(client.config().isAutoRead());

        client.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        client.runPendingTasks();
        assertFalse(origin.config().isAutoRead(), "the origin waits for the client");
        client.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        client.runPendingTasks();
        assertTrue(origin.config().isAutoRead());
        assertEquals("more", read(origin));
    }

    @Test
    void nothingCrossingForTheIdleTimeOutEndsIt() {
        tunnel.start();
        client.advanceTimeBy(IDLE_MS / 2, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        client.writeInbound(text("still here"));
        client.advanceTimeBy(IDLE_MS * 3 / 4, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertTrue(endings.isEmpty(), "activity moved the deadline");
        client.advanceTimeBy(IDLE_MS, TimeUnit.MILLISECONDS);
        client.runScheduledPendingTasks();
        assertEquals(1, endings.size());
        assertTrue(endings.get(0).startsWith("ERR_READ_TIMEOUT"), endings.get(0));
    }

    @Test
    void aClientPastItsByteLimitIsCut() {
        tunnel.start();
        client.writeInbound(Unpooled.wrappedBuffer(new byte[600]));
        client.writeInbound(Unpooled.wrappedBuffer(new byte[600]));
        assertEquals(1, endings.size());
        assertTrue(endings.get(0).startsWith(Result.ERR_INVALID_REQ + " client sent more than 1000 bytes"),
                endings.get(0));
        assertEquals(600, origin.<ByteBuf>readOutbound().readableBytes(), "only what was within the limit went on");
        ByteBuf after = Unpooled.wrappedBuffer(new byte[10]);
        tunnel.fromClient(after);
        assertEquals(0, after.refCnt(), "bytes after the end are released");
        assertEquals("", read(client), "the client got its close, nothing else");
        assertFalse(client.isActive());
    }
}
