package dev.muxgate.httpcore.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProxyHeaderGateTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress("10.0.0.5", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("192.0.2.9", 40001);
    private static final TrustedBalancers TRUSTED = TrustedBalancers.of(List.of("10.0.0.0/24"));
    private static final long TIMEOUT = TimeUnit.SECONDS.toNanos(5);

    private final ProxyProtocolStats stats = new ProxyProtocolStats();

    /** What the pipeline built after the gate saw. */
    private static final class Behind extends ChannelInboundHandlerAdapter {
        boolean active;
        InetSocketAddress client;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
            client = ClientAddress.of(ctx.channel());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                byte[] b = new byte[buf.readableBytes()];
                buf.readBytes(b);
                bytes.writeBytes(b);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** An embedded channel whose peer is an IP address, as an accepted socket's is. */
    private static final class PeerChannel extends EmbeddedChannel {
        private SocketAddress peer;

        PeerChannel(SocketAddress peer) {
            super(false, false);
            this.peer = peer;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }
    }

    private Behind behind;

    private EmbeddedChannel gate(ProxyProtocolMode mode, InetSocketAddress peer) throws Exception {
        return gate(mode, peer, ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
    }

    private EmbeddedChannel gate(ProxyProtocolMode mode, InetSocketAddress peer, int maxTlv) throws Exception {
        behind = new Behind();
        PeerChannel ch = new PeerChannel(peer);
        ProxyProtocolConfig config = new ProxyProtocolConfig(mode, TRUSTED, maxTlv);
        ch.pipeline().addLast(ProxyHeaderGate.NAME, new ProxyHeaderGate(config, stats, TIMEOUT,
                (Channel c) -> c.pipeline().addLast("behind", behind)));
        ch.register();
        return ch;
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    /** A v2 PROXY header for TCP over IPv4, 127.0.0.2:5555 to 10.0.0.1:8443, then {@code tlvs} as they are. */
    private static ByteBuf v2(int versionCommand, int family, byte[] tlvs) {
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(V2_SIGNATURE).writeByte(versionCommand).writeByte(family).writeShort(12 + tlvs.length);
        b.writeBytes(new byte[] {127, 0, 0, 2}).writeBytes(new byte[] {10, 0, 0, 1}).writeShort(5555).writeShort(8443);
        return b.writeBytes(tlvs);
    }

    private static byte[] tlv(int type, int length) {
        byte[] t = new byte[3 + length];
        t[0] = (byte) type;
        t[1] = (byte) (length >> 8);
        t[2] = (byte) length;
        return t;
    }

    @Test
    void trustedV2HeaderNamesTheClientAndTheRestReachesThePipeline() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        assertFalse(behind.active, "nothing is built before the client is known");
        ByteBuf in = v2(0x21, 0x11, new byte[0]).writeBytes(ascii("GET / HTTP/1.1\r\n"));
        ch.writeInbound(in);
        assertTrue(behind.active);
        assertEquals(new InetSocketAddress("127.0.0.2", 5555), behind.client);
        assertEquals("GET / HTTP/1.1\r\n", behind.text());
        assertNull(ch.pipeline().get(ProxyHeaderGate.NAME), "the gate leaves");
        assertNull(ch.pipeline().get(ProxyHeaderGate.DECODER));
        assertNull(ch.pipeline().get(ProxyHeaderGate.READER));
        ch.writeInbound(ascii("Host: x\r\n"));
        assertEquals("GET / HTTP/1.1\r\nHost: x\r\n", behind.text());
        assertEquals(1, stats.acceptedCount("v2"));
        assertTrue(ch.isActive());
        ch.finishAndReleaseAll();
    }

    @Test
    void v1HeaderArrivingByteByByteIsRead() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        String header = "PROXY TCP6 2001:db8::7 2001:db8::1 40123 443\r\nhello";
        for (byte b : header.getBytes(StandardCharsets.ISO_8859_1)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertEquals(new InetSocketAddress("2001:db8::7", 40123), behind.client);
        assertEquals("hello", behind.text());
        assertEquals(1, stats.acceptedCount("v1"));
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownTlvsWithinTheLimitAreSkipped() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER, 64);
        byte[] tlvs = new byte[40];
        System.arraycopy(tlv(0xE0, 17), 0, tlvs, 0, 20);   // a private type, unknown to anyone
        System.arraycopy(tlv(0x05, 17), 0, tlvs, 20, 20);  // PP2_TYPE_UNIQUE_ID
        ch.writeInbound(v2(0x21, 0x11, tlvs).writeBytes(ascii("x")));
        assertEquals(new InetSocketAddress("127.0.0.2", 5555), behind.client);
        assertEquals("x", behind.text());
        ch.finishAndReleaseAll();
    }

    @Test
    void localCommandKeepsThePeerAsTheClient() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ByteBuf local = Unpooled.buffer().writeBytes(V2_SIGNATURE).writeByte(0x20).writeByte(0x00).writeShort(0);
        ch.writeInbound(local.writeBytes(ascii("ping")));
        assertTrue(behind.active);
        assertEquals(BALANCER, behind.client);
        assertEquals("ping", behind.text());
        ch.finishAndReleaseAll();
    }

    @Test
    void optionalWithoutHeaderGoesOnWithThePeerAndEveryByte() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.OPTIONAL, STRANGER);
        // A TLS record's first byte decides at once: no waiting for a 12-byte signature.
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x16, 0x03}));
        assertTrue(behind.active);
        assertEquals(STRANGER, behind.client);
        assertEquals("\u0016\u0003", behind.text());
        assertEquals(1, stats.absentCount());
        ch.finishAndReleaseAll();
    }

    @Test
    void optionalHeaderFromAnUntrustedPeerIsRefused() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.OPTIONAL, STRANGER);
        ch.writeInbound(ascii("PROXY TCP4 1.2.3.4 10.0.0.1 1111 443\r\nGET /"));
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.UNTRUSTED));
        ch.finishAndReleaseAll();
    }

    @Test
    void requiredRefusesAnUntrustedPeerBeforeItSendsAByte() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, STRANGER);
        assertFalse(ch.isActive());
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.UNTRUSTED));
        ch.finishAndReleaseAll();
    }

    @Test
    void requiredRefusesATrustedPeerWithoutHeader() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ch.writeInbound(ascii("GET / HTTP/1.1\r\n"));
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.MISSING));
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedV1IsRefused() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ch.writeInbound(ascii("PROXY TCP4 1.2.3.4 10.0.0.1 bogus 443\r\n"));
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.MALFORMED));
        ch.finishAndReleaseAll();
    }

    @Test
    void malformedV2FamilyIsRefused() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ch.writeInbound(v2(0x21, 0x77, new byte[0]));
        assertFalse(ch.isActive());
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.MALFORMED));
        ch.finishAndReleaseAll();
    }

    @Test
    void v2TlvLongerThanTheHeaderIsRefused() throws Exception {
        // Netty reads this TLV's slice past the header and fails with an IndexOutOfBoundsException,
        // not its own exception: the gate still counts it as malformed and closes.
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        byte[] tlv = tlv(0xE0, 50);
        byte[] truncated = new byte[10];
        System.arraycopy(tlv, 0, truncated, 0, 10);
        ch.writeInbound(v2(0x21, 0x11, truncated));
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.MALFORMED));
        ch.finishAndReleaseAll();
    }

    @Test
    void v1LinePastItsLimitIsRefusedAsOversized() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ch.writeInbound(ascii("PROXY TCP4 " + "1".repeat(200)));
        assertFalse(ch.isActive());
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.OVERSIZED));
        ch.finishAndReleaseAll();
    }

    @Test
    void v2TlvsPastTheLimitAreRefusedAsOversized() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER, 16);
        ch.writeInbound(v2(0x21, 0x11, tlv(0xE0, 1000)));
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.OVERSIZED));
        ch.finishAndReleaseAll();
    }

    @Test
    void headerNotCompleteInTimeIsRefused() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.REQUIRED, BALANCER);
        ch.writeInbound(ascii("PROXY TCP4 1.2"));
        ch.advanceTimeBy(TIMEOUT - TimeUnit.MILLISECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isActive(), "not before the timeout");
        ch.advanceTimeBy(TimeUnit.MILLISECONDS.toNanos(2), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertFalse(behind.active);
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.TIMEOUT));
        ch.finishAndReleaseAll();
    }

    @Test
    void silentPeerIsRefusedAtTheTimeout() throws Exception {
        EmbeddedChannel ch = gate(ProxyProtocolMode.OPTIONAL, BALANCER);
        ch.advanceTimeBy(TIMEOUT + 1, TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isActive());
        assertEquals(1, stats.refusedCount(ProxyHeaderRefusal.TIMEOUT));
        ch.finishAndReleaseAll();
    }
}
