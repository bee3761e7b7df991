package dev.muxgate.httpcore.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * The HTTP/1.1 header rules the proxy applies in both directions: which fields are hop-by-hop
 * (RFC 9110 7.6.1), which methods may be retried, what a valid Host looks like.
 */
final class HeaderRules {

    private static final List<CharSequence> HOP_BY_HOP = List.of(
            HttpHeaderNames.CONNECTION,
            HttpHeaderNames.KEEP_ALIVE,
            HttpHeaderNames.PROXY_CONNECTION,
            HttpHeaderNames.TE,
            HttpHeaderNames.TRANSFER_ENCODING,
            HttpHeaderNames.UPGRADE,
            HttpHeaderNames.PROXY_AUTHENTICATE,
            HttpHeaderNames.PROXY_AUTHORIZATION);

    private HeaderRules() {
    }

    /** Removes hop-by-hop fields, including every field the Connection header names. */
    static void removeHopByHop(HttpHeaders headers) {
        if (headers.contains(HttpHeaderNames.CONNECTION)) {
            for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
                removeNamedFields(headers, connection);
            }
        }
        for (CharSequence name : HOP_BY_HOP) {
            headers.remove(name);
        }
    }

    /** Removes each field a Connection value names, without the array and copies of a split. */
    private static void removeNamedFields(HttpHeaders headers, String connection) {
        int start = 0;
        int length = connection.length();
        while (start <= length) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? length : comma;
            String name = connection.substring(start, end).trim();
            if (!name.isEmpty()) {
                headers.remove(name);
            }
            start = end + 1;
        }
    }

    /**
     * A WebSocket opening handshake (RFC 6455 4.1): GET over HTTP/1.1 with exactly one
     * {@code Upgrade: websocket} and {@code upgrade} among the Connection tokens. The only upgrade the
     * proxy passes on; every other Upgrade value is hop-by-hop and dropped like any such field.
     */
    static boolean isWebSocketUpgrade(HttpRequest request) {
        if (!HttpMethod.GET.equals(request.method()) || !HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            return false;
        }
        List<String> upgrade = request.headers().getAll(HttpHeaderNames.UPGRADE);
        return upgrade.size() == 1 && "websocket".equalsIgnoreCase(upgrade.get(0).trim())
                && connectionHasToken(request.headers(), "upgrade");
    }

    /** The origin's 101 switches to exactly the protocol asked for: nothing else opens a tunnel. */
    static boolean switchesToWebSocket(HttpResponse response) {
        List<String> upgrade = response.headers().getAll(HttpHeaderNames.UPGRADE);
        return response.status().code() == 101 && upgrade.size() == 1
                && "websocket".equalsIgnoreCase(upgrade.get(0).trim());
    }

    private static boolean connectionHasToken(HttpHeaders headers, String wanted) {
        for (String connection : headers.getAll(HttpHeaderNames.CONNECTION)) {
            for (String token : connection.split(",")) {
                if (token.trim().equalsIgnoreCase(wanted)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Safe to send twice (RFC 9110 9.2.2). */
    static boolean isIdempotent(HttpMethod method) {
        return method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)
                || method.equals(HttpMethod.OPTIONS) || method.equals(HttpMethod.TRACE)
                || method.equals(HttpMethod.PUT) || method.equals(HttpMethod.DELETE);
    }

}
