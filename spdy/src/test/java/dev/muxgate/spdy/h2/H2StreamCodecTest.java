package dev.muxgate.spdy.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class H2StreamCodecTest {

    private final List<String> refused = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new H2StreamCodec(refused::add));

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    private static Http2Headers get(String path) {
        return new DefaultHttp2Headers().method("GET").scheme("https").authority("example.com").path(path);
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    @Test
    void requestWithoutBodyBecomesAHeadAndAnEmptyLastContent() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("/a?b=c"), true));
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("/a?b=c", request.uri());
        assertEquals("example.com", request.headers().get("host"));
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        assertFalse(last.content().isReadable());
        last.release();
        assertNull(ch.readInbound());
        assertTrue(refused.isEmpty());
    }

    @Test
    void requestBodyFramesBecomeContentAndTheEndStreamFrameTheLastContent() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("/up").method("POST"), false));
        ch.writeInbound(new DefaultHttp2DataFrame(text("hello "), false));
        ch.writeInbound(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, false));
        ch.writeInbound(new DefaultHttp2DataFrame(text("world"), true));
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("chunked", request.headers().get("transfer-encoding"));
        HttpContent first = ch.readInbound();
        assertEquals("hello ", first.content().toString(StandardCharsets.US_ASCII));
        first.release();
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        assertEquals("world", last.content().toString(StandardCharsets.US_ASCII));
        last.release();
        assertNull(ch.readInbound());
    }

    @Test
    void trailersEndTheRequestAsTrailingHeaders() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("/up").method("POST"), false));
        ch.writeInbound(new DefaultHttp2DataFrame(text("x"), false));
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-checksum", "1"), true));
        ReferenceCountUtil.release(ch.readInbound());
        ReferenceCountUtil.release(ch.readInbound());
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        assertEquals("1", last.trailingHeaders().get("x-checksum"));
        last.release();
    }

    @Test
    void malformedRequestIsResetWithProtocolErrorAndNothingPassesOn() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("hello"), true));
        assertNull(ch.readInbound());
        Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class, ch.readOutbound());
        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
        assertNull(ch.readOutbound(), "one reset, no second one when the channel closes");
        assertFalse(ch.isOpen());
        assertEquals(1, refused.size());
    }

    @Test
    void dataBeforeHeadersIsRefused() {
        ByteBuf body = text("x");
        ch.writeInbound(new DefaultHttp2DataFrame(body, true));
        assertEquals(0, body.refCnt());
        Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class, ch.readOutbound());
        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
    }

    @Test
    void secondHeadersWithoutEndStreamIsRefused() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("/x").method("POST"), false));
        ReferenceCountUtil.release(ch.readInbound());
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-a", "1"), false));
        Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class, ch.readOutbound());
        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
    }

    @Test
    void responseBecomesHeadersThenDataEndingTheStream() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(get("/"), true));
        ReferenceCountUtil.release(ch.readInbound());
        ReferenceCountUtil.release(ch.readInbound());
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set("content-type", "text/plain").set("connection", "keep-alive")
                .set("transfer-encoding", "chunked");
        ch.writeOutbound(response, new DefaultHttpContent(text("abc")), new DefaultLastHttpContent(text("def")));
        Http2HeadersFrame head = assertInstanceOf(Http2HeadersFrame.class, ch.readOutbound());
        assertEquals("200", head.headers().status().toString());
        assertEquals("text/plain", head.headers().get("content-type").toString());
        assertNull(head.headers().get("connection"), "hop-by-hop dropped");
        assertNull(head.headers().get("transfer-encoding"), "hop-by-hop dropped");
        assertFalse(head.isEndStream());
        Http2DataFrame first = assertInstanceOf(Http2DataFrame.class, ch.readOutbound());
        assertEquals("abc", first.content().toString(StandardCharsets.US_ASCII));
        assertFalse(first.isEndStream());
        first.release();
        Http2DataFrame last = assertInstanceOf(Http2DataFrame.class, ch.readOutbound());
        assertTrue(last.isEndStream());
        last.release();
        ch.close();
        assertNull(ch.readOutbound(), "a complete response ends cleanly, without a reset");
    }

    @Test
    void responseTrailersEndTheStreamInAHeadersFrame() {
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        LastHttpContent last = new DefaultLastHttpContent(text("z"));
        last.trailingHeaders().set("x-sum", "9");
        ch.writeOutbound(response, last);
        assertInstanceOf(Http2HeadersFrame.class, ch.readOutbound());
        Http2DataFrame data = ch.readOutbound();
        assertFalse(data.isEndStream());
        data.release();
        Http2HeadersFrame trailers = ch.readOutbound();
        assertTrue(trailers.isEndStream());
        assertEquals("9", trailers.headers().get("x-sum").toString());
    }

    @Test
    void informationalResponseIsNotTheEndOfTheStream() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                LastHttpContent.EMPTY_LAST_CONTENT);
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultLastHttpContent(text("ok")));
        Http2HeadersFrame info = ch.readOutbound();
        assertEquals("100", info.headers().status().toString());
        Http2HeadersFrame head = ch.readOutbound();
        assertEquals("200", head.headers().status().toString());
        Http2DataFrame data = ch.readOutbound();
        assertTrue(data.isEndStream());
        data.release();
    }

    @Test
    void coreAbandoningAResponseResetsWithInternalError() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultHttpContent(text("part")));
        ReferenceCountUtil.release(ch.readOutbound());
        ReferenceCountUtil.release(ch.readOutbound());
        ch.close();
        Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class, ch.readOutbound());
        assertEquals(Http2Error.INTERNAL_ERROR.code(), reset.errorCode());
    }

    private static Http2Headers webSocketConnect() {
        return new DefaultHttp2Headers().method("CONNECT").add(":protocol", "websocket").scheme("https")
                .authority("example.com").path("/ws").add("sec-websocket-version", "13");
    }

    private void openTunnel() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(webSocketConnect(), false));
        HttpRequest handshake = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("websocket", handshake.headers().get("upgrade"));
        LastHttpContent end = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        end.release();
        DefaultHttpResponse switched = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SWITCHING_PROTOCOLS);
        switched.headers().set("upgrade", "websocket").set("connection", "upgrade")
                .set("sec-websocket-accept", "abc=").set("sec-websocket-protocol", "chat");
        ch.writeOutbound(switched, LastHttpContent.EMPTY_LAST_CONTENT);
        Http2HeadersFrame head = assertInstanceOf(Http2HeadersFrame.class, ch.readOutbound());
        assertEquals("200", head.headers().status().toString());
        assertFalse(head.isEndStream());
        assertNull(head.headers().get("sec-websocket-accept"));
        assertNull(head.headers().get("upgrade"));
        assertEquals("chat", head.headers().get("sec-websocket-protocol").toString());
        assertNull(ch.readOutbound(), "the end of the 101 does not end the stream");
    }

    @Test
    void aWebSocketConnectBecomesATunnelOfDataFramesBothWays() {
        openTunnel();
        ch.writeInbound(new DefaultHttp2DataFrame(text("from client"), false));
        ByteBuf in = assertInstanceOf(ByteBuf.class, ch.readInbound());
        assertEquals("from client", in.toString(StandardCharsets.US_ASCII));
        in.release();
        ch.writeOutbound(text("from origin"));
        Http2DataFrame out = assertInstanceOf(Http2DataFrame.class, ch.readOutbound());
        assertEquals("from origin", out.content().toString(StandardCharsets.US_ASCII));
        assertFalse(out.isEndStream());
        out.release();
        assertTrue(refused.isEmpty());
    }

    @Test
    void theTunnelEndingClosesTheStreamCleanly() {
        openTunnel();
        ch.close();
        Http2DataFrame last = assertInstanceOf(Http2DataFrame.class, ch.readOutbound());
        assertTrue(last.isEndStream());
        assertFalse(last.content().isReadable());
        last.release();
        assertNull(ch.readOutbound(), "no reset after a tunnel's end");
    }

    @Test
    void theClientsEndStreamIsItsLastTunnelData() {
        openTunnel();
        ch.writeInbound(new DefaultHttp2DataFrame(text("bye"), true));
        ByteBuf in = assertInstanceOf(ByteBuf.class, ch.readInbound());
        in.release();
        ch.writeInbound(new DefaultHttp2DataFrame(text("after the end"), false));
        assertNull(ch.readInbound());
    }

    @Test
    void anOriginThatDeclinesTheSwitchIsA502NotAnOpenTunnel() {
        ch.writeInbound(new DefaultHttp2HeadersFrame(webSocketConnect(), false));
        ReferenceCountUtil.release(ch.readInbound());
        ReferenceCountUtil.release(ch.readInbound());
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultLastHttpContent(text("plain page")));
        Http2HeadersFrame head = assertInstanceOf(Http2HeadersFrame.class, ch.readOutbound());
        assertEquals("502", head.headers().status().toString());
        Http2DataFrame body = assertInstanceOf(Http2DataFrame.class, ch.readOutbound());
        assertTrue(body.isEndStream());
        body.release();
    }

    @Test
    void headersInsideATunnelAreRefused() {
        openTunnel();
        ch.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("x-a", "1"), true));
        Http2ResetFrame reset = assertInstanceOf(Http2ResetFrame.class, ch.readOutbound());
        assertEquals(Http2Error.PROTOCOL_ERROR.code(), reset.errorCode());
    }

    @Test
    void writesAfterTheEndAreReleased() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK),
                new DefaultLastHttpContent(text("done")));
        ReferenceCountUtil.release(ch.readOutbound());
        ReferenceCountUtil.release(ch.readOutbound());
        ByteBuf extra = text("extra");
        ch.writeOutbound(new DefaultHttpContent(extra));
        assertEquals(0, extra.refCnt());
        assertNull(ch.readOutbound());
    }
}
