package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.muxgate.spdy.spdy.SpdySessionException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ProtocolErrorTest {

    @Test
    void http2ConnectionErrorsAreClassifiedByTheirError() {
        assertEquals(ProtocolError.RST_FLOOD, ProtocolError.ofHttp2(Http2Exception.connectionError(
                Http2Error.ENHANCE_YOUR_CALM, "Maximum number of RST frames reached")));
        assertEquals(ProtocolError.RST_FLOOD, ProtocolError.ofHttp2(Http2Exception.connectionError(
                Http2Error.ENHANCE_YOUR_CALM, "Maximum number %d of RST frames frames reached within %d seconds", 200, 30)));
        assertEquals(ProtocolError.FRAME_FLOOD, ProtocolError.ofHttp2(Http2Exception.connectionError(
                Http2Error.ENHANCE_YOUR_CALM, "Maximum number %d of outstanding control frames reached", 10000)));
        assertEquals(ProtocolError.GOAWAY, ProtocolError.ofHttp2(new IllegalStateException(
                Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "bad preface"))));
    }

    @Test
    void streamErrorsAndOtherFailuresAreNotConnectionProtocolErrors() {
        assertNull(ProtocolError.ofHttp2(Http2Exception.streamError(3, Http2Error.PROTOCOL_ERROR, "bad header")));
        assertNull(ProtocolError.ofHttp2(new IOException("Connection reset by peer")));
        assertNull(ProtocolError.ofHttp2(null));
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
        assertNull(ProtocolError.ofHttp2(new SpdySessionException(SpdySessionException.Kind.PROTOCOL, "x")));
    }
}
