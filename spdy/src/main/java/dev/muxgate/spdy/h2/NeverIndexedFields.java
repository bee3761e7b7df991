package dev.muxgate.spdy.h2;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2HeadersEncoder;
import io.netty.util.AsciiString;

/**
 * The fields the HTTP/2 session's HPACK encoder marks never-indexed (RFC 7541 7.1.3): credentials
 * and cookies, whose values a compression side channel could otherwise guess from frame sizes.
 */
final class NeverIndexedFields implements Http2HeadersEncoder.SensitivityDetector {

    static final NeverIndexedFields INSTANCE = new NeverIndexedFields();

    private NeverIndexedFields() {
    }

    @Override
    public boolean isSensitive(CharSequence name, CharSequence value) {
        return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.SET_COOKIE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.AUTHORIZATION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_AUTHORIZATION);
    }
}
