package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muxgate.spdy.spdy.SpdySessionException;
import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProtocolErrorTest {

    @Test
    void goAwaysAreClassifiedByTheirCodeAndSentence() {
        long calm = Http2Error.ENHANCE_YOUR_CALM.code();
        assertEquals(ProtocolError.RST_FLOOD, ProtocolError.ofGoAway(calm, "Maximum number of RST frames reached"));
        assertEquals(ProtocolError.RST_FLOOD, ProtocolError.ofGoAway(calm,
                "Maximum number 200 of RST frames frames reached within 30 seconds"));
        assertEquals(ProtocolError.FRAME_FLOOD, ProtocolError.ofGoAway(calm,
                "Maximum number 10000 of outstanding control frames reached"));
        assertEquals(ProtocolError.FRAME_FLOOD, ProtocolError.ofGoAway(calm, ""));
        assertEquals(ProtocolError.GOAWAY, ProtocolError.ofGoAway(Http2Error.PROTOCOL_ERROR.code(), "bad preface"));
        assertEquals(ProtocolError.GOAWAY, ProtocolError.ofGoAway(Http2Error.FRAME_SIZE_ERROR.code(), null));
    }

    @Test
    void aGracefulGoAwayIsNoProtocolError() {
        assertNull(ProtocolError.ofGoAway(Http2Error.NO_ERROR.code(), ""));
    }

    @Test
    void spdySessionErrorsAreClassifiedByTheirKind() {
        assertEquals(ProtocolError.GOAWAY, ProtocolError.ofSpdy(new SpdySessionException(
                SpdySessionException.Kind.PROTOCOL, "Decompressed header block exceeds 262144 bytes")));
        assertEquals(ProtocolError.RST_FLOOD, ProtocolError.ofSpdy(new SpdySessionException(
                SpdySessionException.Kind.RST_FLOOD, "more than 200 stream resets")));
        assertEquals(ProtocolError.FRAME_FLOOD, ProtocolError.ofSpdy(new SpdySessionException(
                SpdySessionException.Kind.FRAME_FLOOD, "more than 1000 PING frames")));
        assertNull(ProtocolError.ofSpdy(new IOException("Connection reset by peer")));
    }
}
