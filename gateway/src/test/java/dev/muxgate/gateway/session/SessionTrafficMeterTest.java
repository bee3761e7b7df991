package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.frontdoor.SessionContext;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionTrafficMeterTest {

    private static final InetSocketAddress CLIENT = new InetSocketAddress("203.0.113.7", 50123);

    @TempDir
    Path dir;

    /** A channel that says it is connected to {@link #CLIENT}, as an accepted socket does. */
    private static EmbeddedChannel clientChannel() {
        return new EmbeddedChannel() {
            @Override
            protected SocketAddress remoteAddress0() {
                return CLIENT;
            }
        };
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.wrappedBuffer(new byte[n]);
    }

    @Test
    void countsBytesBothWaysAndPassesThemOnUntouched() {
        SessionContext session = new SessionContext(1);
        EmbeddedChannel ch = new EmbeddedChannel(new SessionTrafficMeter(session));
        ch.writeInbound(bytes(100));
        ch.writeInbound(bytes(17));
        ch.writeOutbound(bytes(1000));
        assertEquals(117, session.bytesIn());
        assertEquals(1000, session.bytesOut());

        ByteBuf in = ch.readInbound();
        assertEquals(100, in.readableBytes());
        in.release();
        ByteBuf in2 = ch.readInbound();
        in2.release();
        ByteBuf out = ch.readOutbound();
        assertEquals(1000, out.readableBytes());
        out.release();
        assertFalse(ch.finish());
    }

    @Test
    void notesTheClientsAddress() {
        SessionContext session = new SessionContext(1);
        EmbeddedChannel ch = clientChannel();
        ch.pipeline().addLast(new SessionTrafficMeter(session));
        assertEquals("203.0.113.7", session.clientIp());
        assertEquals(50123, session.clientPort());
        ch.finishAndReleaseAll();
    }

    @Test
    void leavesAnAddressThatIsNotAnIpAddressUnknown() {
        SessionContext session = new SessionContext(1);
        EmbeddedChannel ch = new EmbeddedChannel(new SessionTrafficMeter(session));
        assertNull(session.clientIp());
        assertEquals(0, session.clientPort());
        ch.finishAndReleaseAll();
    }

    @Test
    void marksTheSessionEndedWhenTheConnectionGoesInactive() {
        SessionContext session = new SessionContext(1);
        EmbeddedChannel ch = new EmbeddedChannel(new SessionTrafficMeter(session));
        assertFalse(session.hasEnded());
        ch.close();
        assertTrue(session.hasEnded());
        long end = session.endEpochMillis();
        long duration = session.durationMillis();
        session.end();
        assertEquals(end, session.endEpochMillis());
        assertEquals(duration, session.durationMillis());
    }

    /**
     * The front door as far as the session log sees it: the meter first, a watcher that reports
     * the session when the connection closes, the session log behind it.
     */
    @Test
    void aClosedConnectionBecomesOneSessionLine() throws Exception {
        Path file = dir.resolve("session.log");
        SessionLog log = SessionLog.open(new SessionLogConfig(true, file, 0, Duration.ZERO, 0, 16));
        SessionContext session = new SessionContext(7);
        EmbeddedChannel ch = clientChannel();
        ch.pipeline().addLast(SessionTrafficMeter.NAME, new SessionTrafficMeter(session));
        ch.pipeline().addLast("session", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                assertTrue(session.hasEnded(), "the meter marks the end before the session is reported");
                log.log(session);
                ctx.fireChannelInactive();
            }
        });
        ch.writeInbound(bytes(300));
        ch.writeOutbound(bytes(5000));
        ch.finishAndReleaseAll();
        log.close();

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(1, lines.size(), lines::toString);
        String[] t = lines.get(0).split(" ");
        assertEquals(List.of("7", "-", "203.0.113.7", "50123"), List.of(t).subList(1, 5));
        assertEquals(List.of("300", "5000"), List.of(t).subList(10, 12));
    }
}
