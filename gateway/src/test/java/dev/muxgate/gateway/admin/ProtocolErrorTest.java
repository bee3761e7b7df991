package dev.muxgate.gateway.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
