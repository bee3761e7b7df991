package dev.muxgate.spdy.spdy;

import dev.muxgate.spdy.h2.H2RequestTranslator;
import dev.muxgate.spdy.h2.MalformedRequestException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.spdy.DefaultSpdyDataFrame;
import io.netty.handler.codec.spdy.DefaultSpdyHeadersFrame;
import io.netty.handler.codec.spdy.DefaultSpdyRstStreamFrame;
import io.netty.handler.codec.spdy.DefaultSpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdyDataFrame;
import io.netty.handler.codec.spdy.SpdyHeaders;
import io.netty.handler.codec.spdy.SpdyHeadersFrame;
import io.netty.handler.codec.spdy.SpdyStreamStatus;
import io.netty.handler.codec.spdy.SpdySynReplyFrame;
import io.netty.handler.codec.spdy.SpdySynStreamFrame;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The codec of one SPDY stream channel: SYN_STREAM, DATA and HEADERS in, HTTP/1.1 message objects
 * out to the {@code StreamBridge}; HTTP/1.1 response objects in from the bridge, SYN_REPLY, DATA and
 * HEADERS out. A malformed request is answered with RST_STREAM(PROTOCOL_ERROR) and never passed on;
 * a response the core abandons ends in RST_STREAM(INTERNAL_ERROR), never a clean FIN.
 *
 * <p>The request head waits for the first DATA frame: a body that arrives whole in one frame goes
 * to the core with its exact {@code content-length}, any other body chunked, so the length the core
 * sees is always the body's real one.
 */
final class SpdyStreamCodec extends ChannelDuplexHandler {

    private static final AsciiString STATUS = AsciiString.cached(":status");
    private static final AsciiString VERSION = AsciiString.cached(":version");

    private final int streamId;
    private final Consumer<String> malformedCounter;
    private HttpRequest pendingHead;
    private boolean requestHeadSeen;
    private boolean requestEnded;
    private boolean responseEnded;
    private boolean informational;
    private boolean reset;

    /** @param malformedCounter told the reason of each refused request (metrics, logs) */
    SpdyStreamCodec(int streamId, Consumer<String> malformedCounter) {
        this.streamId = streamId;
        this.malformedCounter = malformedCounter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (reset || requestEnded) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof SpdySynStreamFrame syn) {
            onSynStream(ctx, syn);
        } else if (msg instanceof SpdyDataFrame data) {
            onData(ctx, data);
        } else if (msg instanceof SpdyHeadersFrame headers) {
            onTrailers(ctx, headers);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onSynStream(ChannelHandlerContext ctx, SpdySynStreamFrame syn) {
        if (requestHeadSeen) {
            refuse(ctx, "a second SYN_STREAM on one stream");
            return;
        }
        try {
            HttpRequest request = SpdyRequestTranslator.translate(syn.headers(), syn.isLast());
            requestHeadSeen = true;
            if (syn.isLast()) {
                requestEnded = true;
                ctx.fireChannelRead(request);
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
            } else {
                pendingHead = request;
            }
        } catch (MalformedRequestException e) {
            refuse(ctx, e.getMessage());
        }
    }

    private void onData(ChannelHandlerContext ctx, SpdyDataFrame data) {
        if (!requestHeadSeen) {
            data.release();
            refuse(ctx, "DATA before SYN_STREAM");
            return;
        }
        ByteBuf content = data.content();
        if (pendingHead != null) {
            HttpRequest head = pendingHead;
            if (data.isLast()) {
                head.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                head.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            } else if (!content.isReadable()) {
                // An empty frame tells nothing about the body yet: keep waiting.
                data.release();
                return;
            }
            pendingHead = null;
            ctx.fireChannelRead(head);
        }
        if (data.isLast()) {
            requestEnded = true;
            ctx.fireChannelRead(new DefaultLastHttpContent(content));
        } else if (content.isReadable()) {
            ctx.fireChannelRead(new DefaultHttpContent(content));
        } else {
            data.release();
        }
    }

    private void onTrailers(ChannelHandlerContext ctx, SpdyHeadersFrame frame) {
        if (!requestHeadSeen || !frame.isLast()) {
            refuse(ctx, "a HEADERS frame that does not end the request");
            return;
        }
        try {
            Http2Headers trailers = new DefaultHttp2Headers(false);
            for (Map.Entry<CharSequence, CharSequence> field : frame.headers()) {
                trailers.add(field.getKey(), field.getValue());
            }
            H2RequestTranslator.checkTrailers(trailers);
            if (pendingHead != null) {
                // Trailers and no DATA: an empty body.
                pendingHead.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                pendingHead.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.fireChannelRead(pendingHead);
                pendingHead = null;
                requestEnded = true;
                ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                return;
            }
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            trailers.forEach(field -> last.trailingHeaders().add(field.getKey(), field.getValue()));
            requestEnded = true;
            ctx.fireChannelRead(last);
        } catch (MalformedRequestException e) {
            refuse(ctx, e.getMessage());
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        reset = true;
        pendingHead = null;
        malformedCounter.accept(reason);
        ctx.writeAndFlush(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.PROTOCOL_ERROR));
        ctx.close();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (reset || responseEnded) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            informational = code >= 100 && code < 200;
            if (!informational) {
                // The head alone: the body (or its end) follows as content, and only that may carry FIN.
                ctx.write(replyOf(response), msg instanceof HttpContent ? ctx.voidPromise() : promise);
            }
            if (!(msg instanceof HttpContent)) {
                if (informational) {
                    // SPDY/3 has no interim responses; the final one follows.
                    promise.trySuccess();
                }
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (informational) {
                informational = !(content instanceof LastHttpContent);
                content.release();
                promise.trySuccess();
                return;
            }
            if (content instanceof LastHttpContent last) {
                responseEnded = true;
                if (last.trailingHeaders().isEmpty()) {
                    SpdyDataFrame end = new DefaultSpdyDataFrame(streamId, last.content());
                    end.setLast(true);
                    ctx.write(end, promise);
                } else {
                    if (last.content().isReadable()) {
                        ctx.write(new DefaultSpdyDataFrame(streamId, last.content()), ctx.voidPromise());
                    } else {
                        last.release();
                    }
                    SpdyHeadersFrame trailers = new DefaultSpdyHeadersFrame(streamId);
                    copyFields(last.trailingHeaders(), trailers.headers());
                    trailers.setLast(true);
                    ctx.write(trailers, promise);
                }
                return;
            }
            if (content.content().isReadable()) {
                ctx.write(new DefaultSpdyDataFrame(streamId, content.content()), promise);
            } else {
                content.release();
                promise.trySuccess();
            }
            return;
        }
        ctx.write(msg, promise);
    }

    private SpdySynReplyFrame replyOf(HttpResponse response) {
        SpdySynReplyFrame reply = new DefaultSpdySynReplyFrame(streamId);
        SpdyHeaders headers = reply.headers();
        // SPDY/3 section 3.2.2: the status code with its reason phrase, and the version.
        headers.set(STATUS, response.status().toString());
        headers.set(VERSION, response.protocolVersion().text());
        copyFields(response.headers(), headers);
        return reply;
    }

    /** HTTP/1.1 fields as SPDY wants them: lower-case names, no connection-specific fields. */
    private static void copyFields(HttpHeaders from, SpdyHeaders to) {
        Iterator<Map.Entry<CharSequence, CharSequence>> fields = from.iteratorCharSequence();
        while (fields.hasNext()) {
            Map.Entry<CharSequence, CharSequence> field = fields.next();
            AsciiString name = AsciiString.of(field.getKey()).toLowerCase();
            if (name.contentEquals(HttpHeaderNames.CONNECTION) || name.contentEquals(HttpHeaderNames.KEEP_ALIVE)
                    || name.contentEquals(HttpHeaderNames.PROXY_CONNECTION)
                    || name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING)
                    || name.contentEquals(HttpHeaderNames.UPGRADE)) {
                continue;
            }
            to.add(name, field.getValue());
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (!responseEnded && !reset && ctx.channel().isActive()) {
            // The core gave up mid-response (or before answering): say so with the real code.
            reset = true;
            ctx.write(new DefaultSpdyRstStreamFrame(streamId, SpdyStreamStatus.INTERNAL_ERROR), ctx.voidPromise());
            ctx.flush();
        }
        ctx.close(promise);
    }
}
