package dev.muxgate.spdy.h2;

import dev.muxgate.httpcore.proxy.HostSyntax;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns the header block of an HTTP/2 request into an HTTP/1.1 request head, refusing everything
 * that is malformed (RFC 9113 8.1.1, 8.2, 8.3) or that the HTTP/1.1 side could read differently:
 * missing or extra pseudo-headers, a path not in origin form, a scheme other than http(s), an
 * authority with userinfo, connection-specific fields, CR/LF/NUL or edge whitespace in values.
 *
 * <p>An extended CONNECT with {@code :protocol websocket} (RFC 8441) becomes the HTTP/1.1 opening
 * handshake (RFC 6455 4.1): {@code GET} with {@code Upgrade: websocket}, {@code Connection: Upgrade}
 * and a fresh {@code Sec-WebSocket-Key}; the version, subprotocol and extension fields pass as
 * they came. Every other CONNECT is refused.
 */
public final class H2RequestTranslator {

    private static final AsciiString TRAILERS = AsciiString.cached("trailers");
    private static final String PROTOCOL = ":protocol";

    private H2RequestTranslator() {
    }

    /**
     * @param endOfStream the HEADERS frame ended the stream: the request has no body
     */
    public static HttpRequest translate(Http2Headers h2, boolean endOfStream) throws MalformedRequestException {
        CharSequence protocol = null;
        CharSequence method = null;
        CharSequence scheme = null;
        CharSequence path = null;
        CharSequence authority = null;
        HttpHeaders headers = new DefaultHttpHeaders();
        StringBuilder cookies = null;
        boolean regularSeen = false;
        for (Map.Entry<CharSequence, CharSequence> field : h2) {
            CharSequence name = field.getKey();
            CharSequence value = field.getValue();
            checkValue(name, value);
            if (name.length() > 0 && name.charAt(0) == ':') {
                if (regularSeen) {
                    throw new MalformedRequestException("pseudo-header " + name + " after a regular field");
                }
                String pseudo = name.toString();
                switch (pseudo) {
                    case ":method" -> method = once(method, value, pseudo);
                    case ":scheme" -> scheme = once(scheme, value, pseudo);
                    case ":path" -> path = once(path, value, pseudo);
                    case ":authority" -> authority = once(authority, value, pseudo);
                    case PROTOCOL -> protocol = once(protocol, value, pseudo);
                    default -> throw new MalformedRequestException("unknown pseudo-header " + pseudo);
                }
                continue;
            }
            regularSeen = true;
            checkName(name);
            if (isConnectionSpecific(name, value)) {
                throw new MalformedRequestException(AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE)
                        ? "connection-specific field upgrade: WebSockets need HTTP/1.1, or HTTP/2's extended "
                                + "CONNECT (RFC 8441); SPDY has none"
                        : "connection-specific field " + name);
            }
            if (AsciiString.regionMatches(name, true, 0, "x-http2-", 0, 8)
                    || AsciiString.regionMatches(name, true, 0, "x-spdy-", 0, 7)) {
                // Our own conversion vocabulary: a client must not be able to speak it.
                continue;
            }
            if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.COOKIE)) {
                if (value.length() == 0) {
                    // An empty crumb carries nothing, and joined it would leave "a=1; " with
                    // whitespace at the end, which HTTP/1.1 reads back as another value (found
                    // by fuzzing).
                    continue;
                }
                // RFC 9113 8.2.3: crumbs are joined with "; " for HTTP/1.1.
                cookies = cookies == null ? new StringBuilder(value) : cookies.append("; ").append(value);
                continue;
            }
            headers.add(name, value);
        }
        if (method == null) {
            throw new MalformedRequestException("missing :method");
        }
        checkMethod(method);
        boolean webSocket = false;
        if (HttpMethod.CONNECT.name().contentEquals(method)) {
            if (protocol == null) {
                throw new MalformedRequestException("CONNECT without :protocol (a TCP tunnel) is not served; "
                        + "WebSockets use extended CONNECT with :protocol websocket (RFC 8441)");
            }
            if (!"websocket".contentEquals(protocol)) {
                throw new MalformedRequestException("extended CONNECT for :protocol " + protocol
                        + " is not served; only websocket is");
            }
            if (scheme == null || path == null || authority == null) {
                throw new MalformedRequestException("extended CONNECT needs :scheme, :path and :authority");
            }
            if (endOfStream) {
                throw new MalformedRequestException("extended CONNECT that ends its stream has no tunnel to open");
            }
            webSocket = true;
        } else if (protocol != null) {
            throw new MalformedRequestException(":protocol is only for CONNECT");
        }
        if (scheme == null || path == null) {
            throw new MalformedRequestException("missing :scheme or :path");
        }
        if (!"https".contentEquals(scheme) && !"http".contentEquals(scheme)) {
            throw new MalformedRequestException(":scheme must be http or https");
        }
        String target = path.toString();
        checkPath(target, method);
        String host = headers.get(HttpHeaderNames.HOST);
        if (authority != null) {
            String a = authority.toString();
            if (!HostSyntax.isValidHost(a)) {
                throw new MalformedRequestException(":authority is not a valid host[:port]");
            }
            if (host != null && !host.equalsIgnoreCase(a)) {
                throw new MalformedRequestException("Host differs from :authority");
            }
            headers.set(HttpHeaderNames.HOST, a);
        } else if (host == null) {
            throw new MalformedRequestException("neither :authority nor Host");
        } else if (headers.getAll(HttpHeaderNames.HOST).size() != 1 || !HostSyntax.isValidHost(host)) {
            throw new MalformedRequestException("Host is not a valid host[:port]");
        }
        if (cookies != null) {
            headers.set(HttpHeaderNames.COOKIE, cookies.toString());
        }
        if (headers.getAll(HttpHeaderNames.CONTENT_LENGTH).size() > 1) {
            throw new MalformedRequestException("more than one content-length");
        }
        String contentLength = headers.get(HttpHeaderNames.CONTENT_LENGTH);
        if (webSocket) {
            if (contentLength != null) {
                throw new MalformedRequestException("content-length on extended CONNECT");
            }
            headers.set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            headers.set(HttpHeaderNames.SEC_WEBSOCKET_KEY, newWebSocketKey());
            // The stream goes on as the tunnel: the request itself has no body.
            return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target, headers);
        }
        if (contentLength != null) {
            if (contentLength.isEmpty() || contentLength.length() > 18 || !contentLength.chars().allMatch(Character::isDigit)) {
                throw new MalformedRequestException("content-length is not a number");
            }
            if (endOfStream && Long.parseLong(contentLength) != 0) {
                throw new MalformedRequestException("content-length with no DATA");
            }
        } else if (!endOfStream) {
            // A body of unknown length: chunked is the only HTTP/1.1 framing that cannot be misread.
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method.toString()), target, headers);
    }

    /** The request opens a tunnel: extended CONNECT (RFC 8441), whatever else it holds. */
    public static boolean isExtendedConnect(Http2Headers h2) {
        return h2.contains(PROTOCOL);
    }

    /**
     * A nonce for the origin's handshake (RFC 6455 4.1: 16 random bytes, base64). It proves only that
     * the origin speaks WebSocket, not a secret, so a fast generator does.
     */
    private static String newWebSocketKey() {
        byte[] nonce = new byte[16];
        ThreadLocalRandom.current().nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** Trailers: regular fields only, same value rules; connection-specific ones refused. */
    public static void checkTrailers(Http2Headers trailers) throws MalformedRequestException {
        for (Map.Entry<CharSequence, CharSequence> field : trailers) {
            CharSequence name = field.getKey();
            if (name.length() > 0 && name.charAt(0) == ':') {
                throw new MalformedRequestException("pseudo-header in trailers");
            }
            checkName(name);
            checkValue(name, field.getValue());
            if (isConnectionSpecific(name, field.getValue())) {
                throw new MalformedRequestException("connection-specific field in trailers");
            }
        }
    }

    private static CharSequence once(CharSequence seen, CharSequence value, String name) throws MalformedRequestException {
        if (seen != null) {
            throw new MalformedRequestException("duplicate " + name);
        }
        if (value.length() == 0) {
            throw new MalformedRequestException("empty " + name);
        }
        return value;
    }

    private static void checkPath(String path, CharSequence method) throws MalformedRequestException {
        if (path.equals("*")) {
            if (!HttpMethod.OPTIONS.name().contentEquals(method)) {
                throw new MalformedRequestException(":path * is only for OPTIONS");
            }
            return;
        }
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new MalformedRequestException(":path must be in origin form (start with /)");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= 0x20 || c >= 0x7f || c == '#') {
                throw new MalformedRequestException(":path holds a character that must be percent-encoded");
            }
        }
    }

    /**
     * RFC 9110 9.1: a method is a token. Found by fuzzing: a byte such as 0xff reached
     * {@code HttpMethod.valueOf}, which threw an IllegalArgumentException instead of a refusal.
     */
    private static void checkMethod(CharSequence method) throws MalformedRequestException {
        if (method.length() == 0) {
            throw new MalformedRequestException("empty :method");
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new MalformedRequestException("invalid character in :method");
            }
        }
    }

    private static void checkName(CharSequence name) throws MalformedRequestException {
        if (name.length() == 0) {
            throw new MalformedRequestException("empty field name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                throw new MalformedRequestException("upper-case field name " + name);
            }
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                throw new MalformedRequestException("invalid character in field name");
            }
        }
    }

    private static void checkValue(CharSequence name, CharSequence value) throws MalformedRequestException {
        int n = value.length();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new MalformedRequestException("CR, LF or NUL in the value of " + name);
            }
            // RFC 9110 5.5: no other control character either (HTAB aside), and one byte per
            // character. Found by fuzzing: 0x01 reached the HTTP/1.1 headers, whose validation
            // threw an IllegalArgumentException instead of a refusal.
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                throw new MalformedRequestException("a control character in the value of " + name);
            }
        }
        if (n > 0 && (isWhitespace(value.charAt(0)) || isWhitespace(value.charAt(n - 1)))) {
            throw new MalformedRequestException("leading or trailing whitespace in the value of " + name);
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isConnectionSpecific(CharSequence name, CharSequence value) {
        if (AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TE)) {
            return !AsciiString.contentEqualsIgnoreCase(value, TRAILERS);
        }
        return AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.CONNECTION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.KEEP_ALIVE)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.PROXY_CONNECTION)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.TRANSFER_ENCODING)
                || AsciiString.contentEqualsIgnoreCase(name, HttpHeaderNames.UPGRADE);
    }
}
