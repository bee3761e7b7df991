package dev.muxgate.spdy.h2;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A response head from the core as HTTP/2 header fields: {@code :status}, then every field with its
 * name in lower case, less those HTTP/2 forbids (RFC 9113 8.2.2). The same fields Netty's
 * {@code HttpConversionUtil.toHttp2Headers} gives, by a shorter road for the common response: the core
 * has already taken out the hop-by-hop fields, so a head without Connection, TE or Cookie needs no
 * per-response map of Connection-named fields, and names an origin commonly sends map to shared
 * lower-case constants instead of two new strings per field. Any other head takes Netty's road.
 */
final class H2ResponseHeaders {

    /** Never sent on HTTP/2, whatever the core passes (Netty's own list for HTTP/1 to HTTP/2). */
    private static final Set<AsciiString> FORBIDDEN = Set.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.HOST,
            HttpHeaderNames.UPGRADE,
            HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text(),
            HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(),
            HttpConversionUtil.ExtensionHeaderNames.PATH.text(),
            HttpConversionUtil.ExtensionHeaderNames.PROTOCOL.text());

    /** Response field names as origins commonly spell them, to their lower-case constant. */
    private static final Map<String, AsciiString> COMMON = commonNames();

    private H2ResponseHeaders() {
    }

    static Http2Headers of(HttpResponse response) {
        HttpHeaders in = response.headers();
        if (in.contains(HttpHeaderNames.CONNECTION) || in.contains(HttpHeaderNames.TE)
                || in.contains(HttpHeaderNames.COOKIE)) {
            // Fields named by Connection, TE's one allowed value, cookie crumbs: Netty's rules.
            return HttpConversionUtil.toHttp2Headers(response, false);
        }
        Http2Headers out = new DefaultHttp2Headers(false, in.size() + 1);
        out.status(response.status().codeAsText());
        for (Iterator<Map.Entry<CharSequence, CharSequence>> fields = in.iteratorCharSequence(); fields.hasNext(); ) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            AsciiString name = lowerCaseName(field.getKey());
            if (!FORBIDDEN.contains(name)) {
                out.add(name, field.getValue());
            }
        }
        return out;
    }

    static AsciiString lowerCaseName(CharSequence name) {
        if (name instanceof AsciiString ascii) {
            return ascii.toLowerCase();
        }
        AsciiString common = COMMON.get(name);
        return common != null ? common : AsciiString.of(name).toLowerCase();
    }

    private static Map<String, AsciiString> commonNames() {
        AsciiString[] names = {
            HttpHeaderNames.ACCEPT_RANGES, HttpHeaderNames.AGE, HttpHeaderNames.ALLOW,
            HttpHeaderNames.CACHE_CONTROL, HttpHeaderNames.CONTENT_DISPOSITION, HttpHeaderNames.CONTENT_ENCODING,
            HttpHeaderNames.CONTENT_LANGUAGE, HttpHeaderNames.CONTENT_LENGTH, HttpHeaderNames.CONTENT_LOCATION,
            HttpHeaderNames.CONTENT_RANGE, HttpHeaderNames.CONTENT_SECURITY_POLICY, HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.DATE, HttpHeaderNames.ETAG, HttpHeaderNames.EXPIRES, HttpHeaderNames.LAST_MODIFIED,
            HttpHeaderNames.LOCATION, HttpHeaderNames.RETRY_AFTER, HttpHeaderNames.SERVER,
            HttpHeaderNames.SET_COOKIE, HttpHeaderNames.VARY,
            HttpHeaderNames.VIA, HttpHeaderNames.WWW_AUTHENTICATE,
            HttpHeaderNames.X_FRAME_OPTIONS, HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN,
        };
        Map<String, AsciiString> common = new HashMap<>();
        for (String other : new String[] {"link", "strict-transport-security", "x-content-type-options"}) {
            common.put(other, AsciiString.cached(other));
            common.put(capitalized(other), AsciiString.cached(other));
        }
        for (AsciiString name : names) {
            common.put(name.toString(), name);
            common.put(capitalized(name.toString()), name);
        }
        return Map.copyOf(common);
    }

    /** {@code content-type} as {@code Content-Type}: each word's first letter upper case. */
    private static String capitalized(String name) {
        StringBuilder out = new StringBuilder(name.length());
        boolean wordStart = true;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            out.append(wordStart ? Character.toUpperCase(c) : c);
            wordStart = c == '-';
        }
        return out.toString();
    }
}
