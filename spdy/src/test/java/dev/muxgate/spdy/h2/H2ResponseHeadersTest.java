package dev.muxgate.spdy.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class H2ResponseHeadersTest {

    @Test
    void aTypicalOriginHeadGivesNettysFieldsWithSharedNames() {
        HttpResponse response = response(HttpResponseStatus.OK,
                "Server", "nginx/1.22.1", "Date", "Tue, 01 Dec 2026 20:47:03 GMT",
                "Content-Type", "application/octet-stream", "Content-Length", "1024",
                "ETag", "\"6b0f304d-400\"", "Accept-Ranges", "bytes", "via", "1.1 muxgate",
                "X-Custom-Thing", "A", "x-lower", "b");
        Http2Headers ours = H2ResponseHeaders.of(response);
        assertEquals(fields(netty(response)), fields(ours));
        assertEquals(":status", fields(ours).get(0).split(": ")[0]);
        assertSame(HttpHeaderNames.CONTENT_TYPE, H2ResponseHeaders.lowerCaseName("Content-Type"));
        assertSame(HttpHeaderNames.ETAG, H2ResponseHeaders.lowerCaseName("etag"));
    }

    @Test
    void fieldsHttp2ForbidsAreDroppedAsNettyDropsThem() {
        HttpResponse response = response(HttpResponseStatus.NOT_FOUND,
                "Keep-Alive", "timeout=5", "Proxy-Connection", "keep-alive", "Transfer-Encoding", "chunked",
                "Host", "example.com", "Upgrade", "h2c", "x-http2-stream-id", "3", "Content-Length", "0");
        assertEquals(fields(netty(response)), fields(H2ResponseHeaders.of(response)));
        assertEquals(List.of(":status: 404", "content-length: 0"), fields(H2ResponseHeaders.of(response)));
    }

    @Test
    void connectionTeAndCookieHeadsTakeNettysRoad() {
        for (String[] extra : new String[][] {
            {"Connection", "close, X-Secret", "X-Secret", "1"},
            {"TE", "trailers, gzip"},
            {"Cookie", "a=1; b=2"},
        }) {
            String[] all = new String[extra.length + 2];
            System.arraycopy(extra, 0, all, 0, extra.length);
            all[extra.length] = "Content-Type";
            all[extra.length + 1] = "text/plain";
            HttpResponse response = response(HttpResponseStatus.OK, all);
            assertEquals(fields(netty(response)), fields(H2ResponseHeaders.of(response)), extra[0]);
        }
    }

    /** Random heads of known and unknown names in random case: always Netty's fields. */
    @Test
    void randomHeadsMatchNetty() {
        String[] pool = {"content-type", "Content-Length", "SERVER", "date", "ETag", "Vary", "set-cookie",
            "Set-Cookie", "x-a", "X-B-C", "Location", "Cache-Control", "keep-alive", "Transfer-Encoding",
            "Upgrade", "host", "Strict-Transport-Security", "last-modified", "Last-Modified", "x-http2-scheme"};
        Random random = new Random(42);
        for (int round = 0; round < 2_000; round++) {
            int n = random.nextInt(12);
            String[] pairs = new String[2 * n];
            for (int i = 0; i < n; i++) {
                String name = pool[random.nextInt(pool.length)];
                pairs[2 * i] = random.nextBoolean() ? name : randomCase(name, random);
                pairs[2 * i + 1] = "v" + random.nextInt(100);
            }
            HttpResponse response = response(HttpResponseStatus.valueOf(200 + random.nextInt(300)), pairs);
            assertEquals(fields(netty(response)), fields(H2ResponseHeaders.of(response)), String.join(",", pairs));
        }
    }

    private static String randomCase(String name, Random random) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            out.append(random.nextBoolean() ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static Http2Headers netty(HttpResponse response) {
        Http2Headers headers = HttpConversionUtil.toHttp2Headers(response, false);
        headers.status(response.status().codeAsText());
        return headers;
    }

    private static HttpResponse response(HttpResponseStatus status, String... pairs) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
        for (int i = 0; i < pairs.length; i += 2) {
            response.headers().add(pairs[i], pairs[i + 1]);
        }
        return response;
    }

    /** Each field as "name: value", in order; names compared as the bytes HPACK would send. */
    private static List<String> fields(Http2Headers headers) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<CharSequence, CharSequence> field : headers) {
            out.add(field.getKey() + ": " + field.getValue());
        }
        return out;
    }
}
