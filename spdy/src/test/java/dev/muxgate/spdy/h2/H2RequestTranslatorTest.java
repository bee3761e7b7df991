package dev.muxgate.spdy.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.Test;

class H2RequestTranslatorTest {

    /** Built without Netty's own validation, so the translator's checks are what is tested. */
    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers(false).method("GET").scheme("https").path(path).authority("example.com");
    }

    @Test
    void wellFormedGetBecomesAnHttp11RequestWithHostFromAuthority() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(get("/a?b=c").add("accept", "*/*"), true);
        assertEquals("GET", r.method().name());
        assertEquals("/a?b=c", r.uri());
        assertEquals("HTTP/1.1", r.protocolVersion().text());
        assertEquals("example.com", r.headers().get("host"));
        assertEquals("*/*", r.headers().get("accept"));
        assertNull(r.headers().get("transfer-encoding"), "no body, no framing");
    }

    @Test
    void bodyWithoutLengthIsSentChunked() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(get("/").method("POST"), false);
        assertEquals("chunked", r.headers().get("transfer-encoding"));
        HttpRequest sized = H2RequestTranslator.translate(get("/").method("POST").add("content-length", "5"), false);
        assertEquals("5", sized.headers().get("content-length"));
        assertNull(sized.headers().get("transfer-encoding"));
    }

    @Test
    void emptyCookieCrumbsAreDroppedSoNoJoinedValueEndsInWhitespace() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(get("/").add("cookie", "a=1").add("cookie", "")
                .add("cookie", "b=2").add("cookie", ""), true);
        assertEquals("a=1; b=2", r.headers().get("cookie"));
        HttpRequest none = H2RequestTranslator.translate(get("/").add("cookie", ""), true);
        assertEquals(null, none.headers().get("cookie"));
    }

    @Test
    void cookieCrumbsAreJoined() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(get("/").add("cookie", "a=1").add("cookie", "b=2"), true);
        assertEquals("a=1; b=2", r.headers().get("cookie"));
        assertEquals(1, r.headers().getAll("cookie").size());
    }

    @Test
    void ownConversionHeadersFromTheClientAreStripped() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(
                get("/").add("x-http2-scheme", "http").add("x-spdy-stream-id", "9"), true);
        assertFalse(r.headers().contains("x-http2-scheme"));
        assertFalse(r.headers().contains("x-spdy-stream-id"));
    }

    @Test
    void pathNotInOriginFormIsMalformed() {
        assertMalformed(get("hello"));
        assertMalformed(get("http://evil.example/x"));
        assertMalformed(get(""));
        assertMalformed(get("/a b"));
        assertMalformed(get("/a#frag"));
        assertMalformed(get("*"));
    }

    @Test
    void asteriskPathIsOnlyForOptions() throws Exception {
        assertEquals("*", H2RequestTranslator.translate(get("*").method("OPTIONS"), true).uri());
    }

    @Test
    void schemeMustBeHttpOrHttps() {
        assertMalformed(get("/").scheme("ftp"));
        assertMalformed(new DefaultHttp2Headers(false).method("GET").path("/").authority("a"));
    }

    @Test
    void authorityWithUserinfoOrPathCharactersIsMalformed() {
        assertMalformed(get("/").authority("a@b"));
        assertMalformed(get("/").authority("a/b"));
        assertMalformed(get("/").authority("a b"));
        assertMalformed(get("/").authority("a:99999"));
    }

    @Test
    void hostDifferentFromAuthorityIsMalformed() throws Exception {
        assertMalformed(get("/").add("host", "other.example"));
        assertEquals("example.com", H2RequestTranslator.translate(get("/").add("host", "EXAMPLE.com"), true)
                .headers().get("host"));
    }

    @Test
    void missingAuthorityAndHostIsMalformed() {
        assertMalformed(new DefaultHttp2Headers(false).method("GET").scheme("https").path("/"));
    }

    @Test
    void connectionSpecificFieldsAreMalformed() {
        assertMalformed(get("/").add("connection", "close"));
        assertMalformed(get("/").add("keep-alive", "1"));
        assertMalformed(get("/").add("transfer-encoding", "chunked"));
        assertMalformed(get("/").add("upgrade", "h2c"));
        assertMalformed(get("/").add("proxy-connection", "x"));
        assertMalformed(get("/").add("te", "gzip"));
    }

    @Test
    void teTrailersIsAllowed() throws Exception {
        assertTrue(H2RequestTranslator.translate(get("/").add("te", "trailers"), true).headers().contains("te"));
    }

    @Test
    void crLfNulAndEdgeWhitespaceInValuesAreMalformed() {
        assertMalformed(get("/").add("x-a", "1\r\nx-injected: 2"));
        assertMalformed(get("/").add("x-a", "1\n"));
        assertMalformed(get("/").add("x-a", "a\0b"));
        assertMalformed(get("/").add("x-a", " padded"));
        assertMalformed(get("/").add("x-a", "padded\t"));
    }

    @Test
    void invalidNamesAreMalformed() {
        assertMalformed(get("/").add("X-Upper", "1"));
        assertMalformed(get("/").add("bad name", "1"));
        assertMalformed(get("/").add("bad:name", "1"));
    }

    @Test
    void pseudoHeaderRulesAreEnforced() {
        assertMalformed(get("/").add(":unknown", "x"));
        // Pseudo-headers after regular fields never get this far: Netty's HPACK decoder refuses them.
        Http2Headers twice = get("/");
        twice.add(":path", "/x");
        assertMalformed(twice);
        assertMalformed(new DefaultHttp2Headers(false).scheme("https").path("/").authority("a"));
        assertMalformed(get("/").method("CONNECT"));
    }

    @Test
    void contentLengthMustBeOneNumberAndMatchAnEmptyBody() {
        assertMalformed(get("/").method("POST").add("content-length", "abc"));
        assertMalformed(get("/").method("POST").add("content-length", "1").add("content-length", "2"));
        assertMalformed(get("/").method("POST").add("content-length", "5"));
    }

    @Test
    void trailersMayNotCarryPseudoOrConnectionFields() {
        assertThrows(MalformedRequestException.class,
                () -> H2RequestTranslator.checkTrailers(new DefaultHttp2Headers(false).path("/")));
        assertThrows(MalformedRequestException.class,
                () -> H2RequestTranslator.checkTrailers(new DefaultHttp2Headers(false).add("connection", "x")));
    }

    private static Http2Headers extendedConnect() {
        return new DefaultHttp2Headers(false).method("CONNECT").add(":protocol", "websocket").scheme("https")
                .path("/chat?room=1").authority("example.com").add("sec-websocket-version", "13")
                .add("sec-websocket-protocol", "chat").add("sec-websocket-extensions", "permessage-deflate");
    }

    @Test
    void extendedConnectForAWebSocketBecomesTheHttp11Handshake() throws Exception {
        HttpRequest r = H2RequestTranslator.translate(extendedConnect(), false);
        assertEquals("GET", r.method().name());
        assertEquals("/chat?room=1", r.uri());
        assertEquals("example.com", r.headers().get("host"));
        assertEquals("websocket", r.headers().get("upgrade"));
        assertEquals("upgrade", r.headers().get("connection"));
        assertEquals("13", r.headers().get("sec-websocket-version"));
        assertEquals("chat", r.headers().get("sec-websocket-protocol"));
        assertEquals("permessage-deflate", r.headers().get("sec-websocket-extensions"));
        String key = r.headers().get("sec-websocket-key");
        assertEquals(16, java.util.Base64.getDecoder().decode(key).length);
        assertNull(r.headers().get("transfer-encoding"), "the handshake has no body: the stream is the tunnel");
        String other = H2RequestTranslator.translate(extendedConnect(), false).headers().get("sec-websocket-key");
        assertFalse(key.equals(other), "a fresh key per handshake");
    }

    @Test
    void extendedConnectMustBeWellFormed() {
        // Plain CONNECT: a TCP tunnel, not served, with a sentence that says so.
        MalformedRequestException plain = assertThrows(MalformedRequestException.class, () ->
                H2RequestTranslator.translate(new DefaultHttp2Headers(false).method("CONNECT")
                        .authority("example.com:443"), false));
        assertTrue(plain.getMessage().startsWith("CONNECT without :protocol"), plain.getMessage());
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                extendedConnect().set(":protocol", "webtransport"), false));
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                withoutPseudo(extendedConnect(), ":authority"), false));
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                withoutPseudo(extendedConnect(), ":path"), false));
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                withoutPseudo(extendedConnect(), ":scheme"), false));
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                extendedConnect().add("content-length", "0"), false));
        // Ending the stream leaves nothing to tunnel; :protocol belongs to CONNECT only.
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(extendedConnect(), true));
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(
                get("/").add(":protocol", "websocket"), true));
    }

    @Test
    void anHttp11StyleUpgradeOverH2IsRefusedWithTheWayThatWorks() {
        MalformedRequestException e = assertThrows(MalformedRequestException.class, () -> H2RequestTranslator
                .translate(get("/ws").add("upgrade", "websocket"), true));
        assertTrue(e.getMessage().contains("extended CONNECT"), e.getMessage());
    }

    private static Http2Headers withoutPseudo(Http2Headers h, String name) {
        Http2Headers copy = new DefaultHttp2Headers(false);
        h.forEach(e -> {
            if (!e.getKey().toString().equals(name)) {
                copy.add(e.getKey(), e.getValue());
            }
        });
        return copy;
    }

    private static void assertMalformed(Http2Headers headers) {
        assertThrows(MalformedRequestException.class, () -> H2RequestTranslator.translate(headers, true),
                headers::toString);
    }
}
