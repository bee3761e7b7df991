package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SniCompletionEvent;
import io.netty.handler.ssl.SslHandler;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SNIHostName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ALPN in a ClientHello, read from real JDK ClientHellos, and the handler that acts on it. */
@ExtendWith(OpenSslContextLeakCheck.class)
class ClientHelloAlpnTest {

    private static TlsContexts contexts;

    @BeforeAll
    static void contexts() {
        contexts = TlsContexts.build(TlsConfig.defaults(), TlsProvider.choose(TlsConfig.Provider.AUTO),
                List.of(SelfSignedCertificate.generate(Instant.now())));
    }

    @AfterAll
    static void release() {
        contexts.close();
    }

    /** The first TLS record a JDK client sends, offering {@code alpn} (none when empty). */
    private static byte[] clientHelloRecord(String... alpn) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine("a.test", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setApplicationProtocols(alpn);
        parameters.setServerNames(List.of(new SNIHostName("a.test")));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] record = new byte[out.remaining()];
        out.get(record);
        return record;
    }

    /** The ClientHello body as SslClientHelloHandler passes it: no record header, no handshake header. */
    private static List<String> offered(byte[] record) {
        ByteBuf body = Unpooled.wrappedBuffer(record, 5 + 4, record.length - 9);
        try {
            return ClientHelloAlpn.offered(body);
        } finally {
            body.release();
        }
    }

    @Test
    void readsTheOfferedProtocolsInTheClientsOrder() throws Exception {
        assertEquals(List.of("http/1.1", "h2", "foo"), offered(clientHelloRecord("http/1.1", "h2", "foo")));
    }

    @Test
    void isNullWithoutAlpn() throws Exception {
        assertNull(offered(clientHelloRecord()));
    }

    @Test
    void isNullForTruncatedInput() throws Exception {
        byte[] record = clientHelloRecord("h2");
        for (int cut = 9; cut < record.length; cut += 7) {
            ByteBuf body = Unpooled.wrappedBuffer(record, 9, cut - 9);
            try {
                List<String> names = ClientHelloAlpn.offered(body);
                assertTrue(names == null || names.equals(List.of("h2")), "cut at " + cut + ": " + names);
            } finally {
                body.release();
            }
        }
    }

    @Test
    void aClientWithNoProtocolInCommonGetsTheAlertAndIsClosed() throws Exception {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(
                new AlpnCheckingSniHandler(contexts, List.of("h2", "http/1.1"), 10_000),
                new Events(events));
        channel.writeInbound(Unpooled.wrappedBuffer(clientHelloRecord("foo", "bar")));
        ByteBuf alert = channel.readOutbound();
        try {
            assertArrayEquals(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 120}, ByteBufUtil.getBytes(alert));
        } finally {
            alert.release();
        }
        assertFalse(channel.isOpen());
        SniCompletionEvent event = (SniCompletionEvent) events.get(0);
        assertEquals("a.test", event.hostname());
        assertEquals(List.of("foo", "bar"), ((NoApplicationProtocolException) event.cause()).offered());
        assertFalse(channel.finishAndReleaseAll());
    }

    @Test
    void aClientWithAProtocolInCommonGetsTheSslHandler() throws Exception {
        List<Object> events = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(
                new AlpnCheckingSniHandler(contexts, List.of("h2", "http/1.1"), 10_000),
                new Events(events));
        channel.writeInbound(Unpooled.wrappedBuffer(clientHelloRecord("foo", "http/1.1")));
        assertTrue(channel.pipeline().get(SslHandler.class) != null);
        assertTrue(((SniCompletionEvent) events.get(0)).isSuccess());
        assertTrue(channel.isOpen());
        channel.finishAndReleaseAll();
    }

    private static final class Events extends ChannelInboundHandlerAdapter {
        private final List<Object> events;

        Events(List<Object> events) {
            this.events = events;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }
    }
}
