package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.log.TransactionRecord.Result;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.net.URI;
import java.util.List;

/**
 * Decides whether a decoded request may be proxied, and where its host and path are. Everything a
 * client could use to make the core and an origin disagree about a message ends here with a 4xx.
 */
final class RequestCheck {

    /** Proxies that forwarded the request already; more means a remap loop. */
    static final int MAX_VIA_HOPS = 8;

    private final LimitsConfig limits;
    private final String viaName;

    RequestCheck(LimitsConfig limits, String viaName) {
        this.limits = limits;
        this.viaName = viaName;
    }

    /** The size of the header block as HTTP/1.1 writes it: name, colon, space, value, CRLF. */
    private static long headerBytes(HttpHeaders headers) {
        long bytes = 0;
        for (var it = headers.iteratorCharSequence(); it.hasNext(); ) {
            var field = it.next();
            bytes += field.getKey().length() + field.getValue().length() + 4;
        }
        return bytes;
    }

    /** The host (without port, lower case), the Host value and the origin-form target. */
    record Checked(String hostName, String hostHeader, String originForm, long contentLength, boolean chunked) {
    }

    Checked check(HttpRequest request) throws ProxyException {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            throw decodeFailure(decoded.cause());
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            throw new ProxyException(HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED, Result.ERR_INVALID_REQ,
                    "only HTTP/1.0 and HTTP/1.1 are served here");
        }
        HttpHeaders headers = request.headers();
        if (headers.size() > limits.headerCount()) {
            throw new ProxyException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, Result.ERR_INVALID_REQ,
                    "more than " + limits.headerCount() + " header fields");
        }
        // The byte decoder bounds these for bytes; a plugin that hands over decoded messages
        // (h2, SPDY) meets the same limits here.
        if (request.uri().length() > limits.requestLineBytes()) {
            throw new ProxyException(HttpResponseStatus.REQUEST_URI_TOO_LONG, Result.ERR_INVALID_REQ,
                    "request target longer than " + limits.requestLineBytes() + " bytes");
        }
        if (headerBytes(headers) > limits.headerBytes()) {
            throw new ProxyException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, Result.ERR_INVALID_REQ,
                    "header fields larger than " + limits.headerBytes() + " bytes");
        }
        HttpMethod method = request.method();
        if (HttpMethod.CONNECT.equals(method)) {
            throw new ProxyException(HttpResponseStatus.METHOD_NOT_ALLOWED, Result.ERR_INVALID_REQ,
                    "CONNECT is not served here");
        }

        List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
        if (hosts.size() > 1) {
            throw invalid("more than one Host header");
        }
        String host = hosts.isEmpty() ? null : hosts.get(0).trim();
        String target = request.uri();
        String originForm;
        if (target.startsWith("/")) {
            originForm = target;
        } else if (target.regionMatches(true, 0, "http://", 0, 7) || target.regionMatches(true, 0, "https://", 0, 8)) {
            // Absolute form (RFC 9112 3.2.2): its authority wins over Host, so both must agree on
            // what we route by; we take the URI's and rewrite Host to match.
            URI uri;
            try {
                uri = new URI(target);
            } catch (java.net.URISyntaxException e) {
                throw invalid("request target is not a valid URI");
            }
            if (uri.getRawUserInfo() != null || uri.getRawAuthority() == null) {
                throw invalid("request target must not carry user info");
            }
            host = uri.getRawAuthority();
            String path = uri.getRawPath();
            originForm = (path == null || path.isEmpty() ? "/" : path)
                    + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        } else {
            throw invalid("request target must be a path starting with / or an absolute http URL");
        }
        if (host == null) {
            if (version.equals(HttpVersion.HTTP_1_1)) {
                throw invalid("HTTP/1.1 requests need a Host header");
            }
            host = "";
        } else if (!HostSyntax.isValidHost(host)) {
            throw invalid("Host is not a valid host[:port]");
        }
        for (int i = 0; i < originForm.length(); i++) {
            char c = originForm.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw invalid("request target holds a character that must be percent-encoded");
            }
        }

        long contentLength = -1;
        boolean chunked = false;
        if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (version.equals(HttpVersion.HTTP_1_0) || codings.size() != 1
                    || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(codings.get(0).trim())) {
                // Anything but one plain "chunked" is how smuggling starts (RFC 9112 6.1).
                throw new ProxyException(HttpResponseStatus.NOT_IMPLEMENTED, Result.ERR_INVALID_REQ,
                        "Transfer-Encoding other than chunked is not accepted");
            }
            chunked = true;
        } else if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            try {
                contentLength = HttpUtil.getContentLength(request);
            } catch (NumberFormatException e) {
                throw invalid("Content-Length is not a number");
            }
            if (contentLength > limits.requestBodyBytes()) {
                throw new ProxyException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Result.ERR_INVALID_REQ,
                        "request body larger than " + limits.requestBodyBytes() + " bytes");
            }
        }

        String expect = headers.get(HttpHeaderNames.EXPECT);
        if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
            throw new ProxyException(HttpResponseStatus.EXPECTATION_FAILED, Result.ERR_INVALID_REQ,
                    "only Expect: 100-continue is understood");
        }
        if (viaHops(headers) >= MAX_VIA_HOPS) {
            throw new ProxyException(HttpResponseStatus.valueOf(508), Result.ERR_INVALID_REQ,
                    "request looped through this proxy " + MAX_VIA_HOPS + " times; check the remap rules");
        }
        String hostName = host.isEmpty() ? "" : HostSyntax.hostName(host);
        return new Checked(hostName, host, originForm, contentLength, chunked);
    }

    private int viaHops(HttpHeaders headers) {
        int hops = 0;
        for (String via : headers.getAll(HttpHeaderNames.VIA)) {
            for (int from = 0; (from = via.indexOf(viaName, from)) >= 0; from += viaName.length()) {
                hops++;
            }
        }
        return hops;
    }

    static ProxyException decodeFailure(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return new ProxyException(HttpResponseStatus.REQUEST_URI_TOO_LONG, Result.ERR_INVALID_REQ,
                    "request line too long");
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return new ProxyException(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, Result.ERR_INVALID_REQ,
                    "header block too large");
        }
        if (cause instanceof TooLongFrameException) {
            return new ProxyException(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Result.ERR_INVALID_REQ,
                    "request too large");
        }
        return invalid("malformed request");
    }

    private static ProxyException invalid(String sentence) {
        return new ProxyException(HttpResponseStatus.BAD_REQUEST, Result.ERR_INVALID_REQ, sentence);
    }
}
