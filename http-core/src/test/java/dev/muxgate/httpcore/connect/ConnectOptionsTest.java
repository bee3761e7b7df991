package dev.muxgate.httpcore.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(20)
class ConnectOptionsTest {

    private static final SocketAddress CORE = new InetSocketAddress("127.0.0.1", 8080);

    @Test
    void defaultsAreIdZeroAndNoTag() {
        ConnectOptions o = ConnectOptions.builder(CORE).build();
        assertSame(CORE, o.target());
        assertEquals(0, o.pluginId());
        assertNull(o.pluginTag());
        assertEquals(0, o.streamId());
        assertNull(o.clientAddress());
        assertNull(o.transparentOrigin());
        assertNull(o.waterMark());
        assertNull(o.secureProtocol());
        assertNull(o.tlsVersion());
        assertNull(o.tlsCipher());
    }

    @Test
    void negativePluginIdIsRejectedAtBuild() {
        ConnectOptions.Builder b = ConnectOptions.builder(CORE).pluginId(-1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("plugin id") && e.getMessage().contains("-1"), e.getMessage());
    }

    @Test
    void negativeStreamIdIsRejectedAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectOptions.builder(CORE).streamId(-5).build());
        assertTrue(e.getMessage().contains("stream id"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"h 2", "h2\n", "h2\r", "\u0000", "h2\t", "\"h2\"", "h2\\", "h\u007f2", "h\u00e92", ""})
    void tagThatCouldBreakALogLineIsRejectedAtBuild(String tag) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectOptions.builder(CORE).pluginTag(tag).build());
        assertTrue(e.getMessage().startsWith("plugin tag"), e.getMessage());
    }

    @Test
    void tagLongerThanTheLimitIsRejectedAtBuild() {
        String longest = "x".repeat(ConnectOptions.MAX_TAG_LENGTH);
        assertEquals(longest, ConnectOptions.builder(CORE).pluginTag(longest).build().pluginTag());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConnectOptions.builder(CORE).pluginTag(longest + "x").build());
        assertTrue(e.getMessage().contains(String.valueOf(ConnectOptions.MAX_TAG_LENGTH)), e.getMessage());
    }

    @Test
    void tlsTokensAreCheckedLikeTheTag() {
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder(CORE).tlsCipher("A B").build());
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder(CORE).tlsVersion("TLS\"1.3").build());
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder(CORE).secureProtocol("h2\n").build());
    }

    @Test
    void nullTargetIsRejectedAtBuildWithAClearMessage() {
        ConnectOptions.Builder b = ConnectOptions.builder(null).pluginTag("h2");
        NullPointerException e = assertThrows(NullPointerException.class, b::build);
        assertTrue(e.getMessage().contains("target"), e.getMessage());
        ConnectOptions valid = ConnectOptions.builder(CORE).build();
        assertThrows(NullPointerException.class, () -> valid.toBuilder().target(null).build());
    }

    @Test
    void transparentOriginWithoutAPortIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ConnectOptions.builder(CORE)
                .transparentOrigin(InetSocketAddress.createUnresolved("origin.example", 0)).build());
    }

    @Test
    void toBuilderRoundTripsEveryField() {
        InetSocketAddress client = new InetSocketAddress("198.51.100.7", 51234);
        InetSocketAddress origin = InetSocketAddress.createUnresolved("origin.example", 443);
        WriteBufferWaterMark marks = new WriteBufferWaterMark(1024, 4096);
        ConnectOptions o = ConnectOptions.builder(CORE)
                .pluginTag("spdy/3.1").pluginId(42).streamId(7)
                .clientAddress(client).transparentOrigin(origin).waterMark(marks)
                .secureProtocol("h2").tlsVersion("TLSv1.3").tlsCipher("TLS_AES_128_GCM_SHA256")
                .build();
        ConnectOptions copy = o.toBuilder().build();
        assertSame(CORE, copy.target());
        assertEquals("spdy/3.1", copy.pluginTag());
        assertEquals(42, copy.pluginId());
        assertEquals(7, copy.streamId());
        assertSame(client, copy.clientAddress());
        assertSame(origin, copy.transparentOrigin());
        assertSame(marks, copy.waterMark());
        assertEquals("h2", copy.secureProtocol());
        assertEquals("TLSv1.3", copy.tlsVersion());
        assertEquals("TLS_AES_128_GCM_SHA256", copy.tlsCipher());
        assertEquals(o.toString(), copy.toString());

        ConnectOptions changed = o.toBuilder().pluginId(43).build();
        assertEquals(43, changed.pluginId());
        assertEquals(42, o.pluginId(), "the original is immutable");
        assertNotEquals(o.toString(), changed.toString());
    }

    @Test
    void pluginAddressNamesThePluginNeverAnIp() {
        assertEquals("plugin:h2#12", new PluginAddress("h2", 12).toString());
        assertEquals("plugin:-#0", new PluginAddress(null, 0).toString());
        assertEquals(new PluginAddress("h2", 12), new PluginAddress("h2", 12));
        assertEquals(new PluginAddress("h2", 12).hashCode(), new PluginAddress("h2", 12).hashCode());
        assertNotEquals(new PluginAddress("h2", 12), new PluginAddress("h2", 13));
        assertNotEquals(new PluginAddress("h2", 12), new PluginAddress("spdy/3.1", 12));
    }
}
