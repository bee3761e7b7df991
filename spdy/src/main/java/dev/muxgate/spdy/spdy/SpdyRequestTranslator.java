package dev.muxgate.spdy.spdy;

import dev.muxgate.spdy.h2.H2RequestTranslator;
import dev.muxgate.spdy.h2.MalformedRequestException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map;

/**
 * Turns the header block of a SPDY/3 SYN_STREAM into an HTTP/1.1 request head. SPDY/3 (section
 * 3.2.1) requires {@code :method}, {@code :path}, {@code :version}, {@code :host} and
 * {@code :scheme}, once each; they map onto HTTP/2's pseudo-headers ({@code :host} is
 * {@code :authority}), so every other check is the one HTTP/2 requests pass
 * ({@link H2RequestTranslator}): origin-form path, http(s) scheme, valid host, lower-case names,
 * no connection-specific fields, no CR/LF/NUL.
 *
 * <p>The client's {@code content-length} is never passed on: SPDY frames the body, so the length
 * the core sees is rebuilt from the body that really arrives (chunked here, or an exact length set
 * by {@link SpdyStreamCodec} when the whole body comes in one frame).
 */
final class SpdyRequestTranslator {

    private static final AsciiString METHOD = AsciiString.cached(":method");
    private static final AsciiString PATH = AsciiString.cached(":path");
    private static final AsciiString VERSION = AsciiString.cached(":version");
    private static final AsciiString HOST = AsciiString.cached(":host");
    private static final AsciiString SCHEME = AsciiString.cached(":scheme");

    private SpdyRequestTranslator() {
    }

    /**
     * @param last the SYN_STREAM ended the stream: the request has no body
     */
    static HttpRequest translate(SpdyHeaders spdy, boolean last) throws MalformedRequestException {
        Http2Headers h2 = new DefaultHttp2Headers(false);
        h2.method(required(spdy, METHOD));
        h2.scheme(required(spdy, SCHEME));
        h2.path(required(spdy, PATH));
        h2.authority(required(spdy, HOST));
        CharSequence version = required(spdy, VERSION);
        if (!AsciiString.contentEquals(version, "HTTP/1.1") && !AsciiString.contentEquals(version, "HTTP/1.0")) {
            throw new MalformedRequestException(":version must be HTTP/1.1 or HTTP/1.0");
        }
        boolean clientLength = false;
        for (Map.Entry<CharSequence, CharSequence> field : spdy) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                if (!isRequestPseudoHeader(name)) {
                    throw new MalformedRequestException("unknown header " + name);
                }
                continue;
            }
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONTENT_LENGTH)) {
                clientLength = true;
                continue;
            }
            h2.add(name, field.getValue());
        }
        HttpRequest request = H2RequestTranslator.translate(h2, last);
        if (last && (clientLength || hasBodySemantics(request.method()))) {
            request.headers().set(HttpHeaderNames.CONTENT_LENGTH, HttpHeaderValues.ZERO);
        }
        return request;
    }

    private static CharSequence required(SpdyHeaders spdy, AsciiString name) throws MalformedRequestException {
        List<CharSequence> values = spdy.getAll(name);
        if (values.size() != 1) {
            throw new MalformedRequestException(values.isEmpty() ? "missing " + name : "more than one " + name);
        }
        CharSequence value = values.get(0);
        if (value.length() == 0) {
            throw new MalformedRequestException("empty " + name);
        }
        return value;
    }

    private static boolean isRequestPseudoHeader(CharSequence name) {
        return METHOD.contentEquals(name) || PATH.contentEquals(name) || VERSION.contentEquals(name)
                || HOST.contentEquals(name) || SCHEME.contentEquals(name);
    }

    /** Methods whose HTTP/1.1 form carries a length even when empty (RFC 9110 8.6). */
    private static boolean hasBodySemantics(HttpMethod method) {
        return method.equals(HttpMethod.POST) || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.PATCH);
    }
}
