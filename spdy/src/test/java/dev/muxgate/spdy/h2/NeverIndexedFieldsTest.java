package dev.muxgate.spdy.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class NeverIndexedFieldsTest {

    @Test
    void cookiesAndCredentialsAreSensitiveAndNothingElse() {
        for (String name : new String[] {"cookie", "set-cookie", "authorization", "Proxy-Authorization"}) {
            assertTrue(NeverIndexedFields.INSTANCE.isSensitive(name, "x"), name);
        }
        for (String name : new String[] {"content-type", "x-cookie", ":status", "www-authenticate"}) {
            assertFalse(NeverIndexedFields.INSTANCE.isSensitive(name, "x"), name);
        }
    }

    @Test
    void theEncoderWritesASetCookieAsNeverIndexed() throws Exception {
        DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder(NeverIndexedFields.INSTANCE);
        Http2Headers headers = new DefaultHttp2Headers().add("set-cookie", "secret=1");
        ByteBuf out = Unpooled.buffer();
        try {
            encoder.encodeHeaders(3, headers, out);
            // RFC 7541 6.2.3: a literal never indexed starts with the bits 0001.
            assertEquals(0x10, out.getByte(0) & 0xF0, "first byte " + Integer.toHexString(out.getByte(0) & 0xFF));
        } finally {
            out.release();
        }
    }
}
