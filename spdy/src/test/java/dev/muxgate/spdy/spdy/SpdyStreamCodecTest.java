package dev.muxgate.spdy.spdy;

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
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynStreamFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyRstStreamFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpdyStreamCodecTest {

    private final List<String> refused = new ArrayList<>();
    private final EmbeddedChannel ch = new EmbeddedChannel(new SpdyStreamCodec(5, refused::add));

    @AfterEach
    void releaseEverything() {
        ch.finishAndReleaseAll();
    }

    private static SpdySynStreamFrame syn(String method, String path, boolean last) {
        SpdySynStreamFrame syn = new DefaultSpdySynStreamFrame(5, 0, (byte) 0, false);
        syn.headers().set(":method", method).set(":path", path).set(":version", "HTTP/1.1")
                .set(":host", "example.com").set(":scheme", "https");
        syn.setLast(last);
        return syn;
    }

    private static SpdyDataFrame data(String text, boolean last) {
        SpdyDataFrame data = new DefaultSpdyDataFrame(5, Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
        data.setLast(last);
        return data;
    }

    @Test
    void aSynStreamWithFinBecomesAHeadAndAnEmptyLastContent() {
        ch.writeInbound(syn("GET", "/a?b=c", true));
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("/a?b=c", request.uri());
        assertEquals("example.com", request.headers().get("host"));
        assertFalse(request.headers().contains("content-length"));
        assertFalse(request.headers().contains("transfer-encoding"));
        assertEquals(LastHttpContent.EMPTY_LAST_CONTENT, ch.readInbound());
        assertNull(ch.readInbound());
    }

    @Test
    void aBodyInOneFrameGetsItsExactLengthAndTheClientsIsDropped() {
        SpdySynStreamFrame syn = syn("POST", "/up", false);
        syn.headers().set("content-length", "1000");
        ch.writeInbound(syn);
        assertNull(ch.readInbound(), "the head waits for the first DATA frame");
        ch.writeInbound(data("hello", true));
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("5", request.headers().get("content-length"));
        assertFalse(request.headers().contains("transfer-encoding"));
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        assertEquals("hello", last.content().toString(StandardCharsets.US_ASCII));
        last.release();
    }

    @Test
    void aBodyInManyFramesGoesChunked() {
        ch.writeInbound(syn("PUT", "/up", false));
        ch.writeInbound(data("", false));
        assertNull(ch.readInbound(), "an empty frame says nothing about the body");
        ch.writeInbound(data("one", false));
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("chunked", request.headers().get("transfer-encoding"));
        assertFalse(request.headers().contains("content-length"));
        HttpContent one = assertInstanceOf(HttpContent.class, ch.readInbound());
        assertFalse(one instanceof LastHttpContent);
        one.release();
        ch.writeInbound(data("two", true));
        LastHttpContent two = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        two.release();
    }

    @Test
    void aPostWithFinAndAForgedLengthGetsLengthZero() {
        SpdySynStreamFrame syn = syn("POST", "/up", true);
        syn.headers().set("content-length", "abc");
        ch.writeInbound(syn);
        HttpRequest request = assertInstanceOf(HttpRequest.class, ch.readInbound());
        assertEquals("0", request.headers().get("content-length"));
        ch.readInbound();
    }

    @Test
    void trailersEndTheRequest() {
        ch.writeInbound(syn("POST", "/up", false));
        ch.writeInbound(data("x", false));
        ReferenceCountUtil.release(ch.readInbound());
        ReferenceCountUtil.release(ch.readInbound());
        SpdyHeadersFrame trailers = new DefaultSpdyHeadersFrame(5, false);
        trailers.headers().set("x-sum", "1");
        trailers.setLast(true);
        ch.writeInbound(trailers);
        LastHttpContent last = assertInstanceOf(LastHttpContent.class, ch.readInbound());
        assertEquals("1", last.trailingHeaders().get("x-sum"));
    }

    @Test
    void malformedRequestsAreResetAndNeverPassedOn() {
        String[][] cases = {
            {":path", "relative"}, {":scheme", "ftp"}, {":version", "HTTP/2"}, {"X-Upper", "1"},
            {"connection", "close"}, {"x-evil", "a\nb"}, {":host", "user@example.com"}, {":status", "200"},
        };
        for (String[] c : cases) {
            EmbeddedChannel one = new EmbeddedChannel(new SpdyStreamCodec(5, refused::add));
            SpdySynStreamFrame syn = syn("GET", "/", true);
            syn.headers().set(c[0], c[1]);
            one.writeInbound(syn);
            assertNull(one.readInbound(), "passed on: " + c[0] + ": " + c[1]);
            SpdyRstStreamFrame rst = assertInstanceOf(SpdyRstStreamFrame.class, one.readOutbound(), c[0]);
            assertEquals(SpdyStreamStatus.PROTOCOL_ERROR, rst.status());
            assertFalse(one.isOpen());
            one.finishAndReleaseAll();
        }
        assertEquals(cases.length, refused.size(), refused.toString());
    }

    @Test
    void aWebSocketUpgradeIsRefusedWithASentenceThatSaysWhere() {
        SpdySynStreamFrame syn = syn("GET", "/ws", true);
        syn.headers().set("upgrade", "websocket").set("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .set("sec-websocket-version", "13");
        ch.writeInbound(syn);
        assertNull(ch.readInbound(), "SPDY has no WebSockets: nothing reaches the core");
        SpdyRstStreamFrame rst = assertInstanceOf(SpdyRstStreamFrame.class, ch.readOutbound());
        assertEquals(SpdyStreamStatus.PROTOCOL_ERROR, rst.status());
        assertEquals(1, refused.size());
        assertTrue(refused.get(0).contains("SPDY has none"), refused.get(0));
    }

    @Test
    void aMissingRequiredHeaderIsRefused() {
        for (String name : List.of(":method", ":path", ":version", ":host", ":scheme")) {
            EmbeddedChannel one = new EmbeddedChannel(new SpdyStreamCodec(5, refused::add));
            SpdySynStreamFrame syn = syn("GET", "/", true);
            syn.headers().remove(name);
            one.writeInbound(syn);
            assertNull(one.readInbound(), name);
            assertInstanceOf(SpdyRstStreamFrame.class, one.readOutbound(), name);
            one.finishAndReleaseAll();
        }
    }

    @Test
    void dataBeforeTheSynStreamIsRefused() {
        ch.writeInbound(data("x", false));
        assertNull(ch.readInbound());
        assertInstanceOf(SpdyRstStreamFrame.class, ch.readOutbound());
    }

    @Test
    void aResponseBecomesSynReplyAndDataEndingInFin() {
        DefaultHttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set("Content-Type", "text/plain").set("Connection", "keep-alive")
                .set("Transfer-Encoding", "chunked").add("Set-Cookie", "a=1").add("Set-Cookie", "b=2");
        ch.writeOutbound(response, new DefaultHttpContent(text("ab")), new DefaultLastHttpContent(text("c")));
        SpdySynReplyFrame reply = assertInstanceOf(SpdySynReplyFrame.class, ch.readOutbound());
        assertEquals(5, reply.streamId());
        assertFalse(reply.isLast());
        assertEquals("200 OK", reply.headers().getAsString(":status"));
        assertEquals("HTTP/1.1", reply.headers().getAsString(":version"));
        assertEquals("text/plain", reply.headers().getAsString("content-type"));
        assertEquals(List.of("a=1", "b=2"), reply.headers().getAllAsString("set-cookie"));
        assertFalse(reply.headers().contains("connection"));
        assertFalse(reply.headers().contains("transfer-encoding"));
        SpdyDataFrame ab = assertInstanceOf(SpdyDataFrame.class, ch.readOutbound());
        assertFalse(ab.isLast());
        ab.release();
        SpdyDataFrame c = assertInstanceOf(SpdyDataFrame.class, ch.readOutbound());
        assertTrue(c.isLast());
        assertEquals("c", c.content().toString(StandardCharsets.US_ASCII));
        c.release();
    }

    @Test
    void responseTrailersEndTheStreamInAHeadersFrame() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        last.trailingHeaders().set("X-Checksum", "9");
        ch.writeOutbound(last);
        assertInstanceOf(SpdySynReplyFrame.class, ch.readOutbound());
        SpdyHeadersFrame trailers = assertInstanceOf(SpdyHeadersFrame.class, ch.readOutbound());
        assertTrue(trailers.isLast());
        assertEquals("9", trailers.headers().getAsString("x-checksum"));
    }

    @Test
    void anInterimResponseIsDropped() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                LastHttpContent.EMPTY_LAST_CONTENT,
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT),
                LastHttpContent.EMPTY_LAST_CONTENT);
        SpdySynReplyFrame reply = assertInstanceOf(SpdySynReplyFrame.class, ch.readOutbound());
        assertEquals("204 No Content", reply.headers().getAsString(":status"));
        SpdyDataFrame end = assertInstanceOf(SpdyDataFrame.class, ch.readOutbound());
        assertTrue(end.isLast());
        end.release();
        assertNull(ch.readOutbound());
    }

    @Test
    void aResponseAbandonedMidwayEndsInAResetNotAFin() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), new DefaultHttpContent(text("partial")));
        ch.close();
        assertInstanceOf(SpdySynReplyFrame.class, ch.readOutbound());
        ReferenceCountUtil.release(ch.readOutbound());
        SpdyRstStreamFrame rst = assertInstanceOf(SpdyRstStreamFrame.class, ch.readOutbound());
        assertEquals(SpdyStreamStatus.INTERNAL_ERROR, rst.status());
    }

    @Test
    void aFinishedResponseClosesWithoutAReset() {
        ch.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK), LastHttpContent.EMPTY_LAST_CONTENT);
        ch.close();
        assertInstanceOf(SpdySynReplyFrame.class, ch.readOutbound());
        ReferenceCountUtil.release(ch.readOutbound());
        assertNull(ch.readOutbound());
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }
}
