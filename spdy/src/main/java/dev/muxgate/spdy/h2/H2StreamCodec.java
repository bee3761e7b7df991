package dev.muxgate.spdy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/**
 * The codec of one HTTP/2 stream channel: request frames in, HTTP/1.1 message objects out to the
 * {@code StreamBridge}; HTTP/1.1 response objects in from the bridge, frames out. A malformed
 * request is answered with RST_STREAM(PROTOCOL_ERROR) carrying that real code (so Netty's
 * sent-reset limiter counts it), and a response the core abandons ends in RST_STREAM(INTERNAL_ERROR),
 * never a clean end of stream.
 *
 * <p>An extended CONNECT for a WebSocket (RFC 8441) is a request with no body; the core's 101 is
 * answered as {@code :status 200} and from then on the stream is a tunnel: DATA frames in become
 * bytes to the core, bytes from the core become DATA frames, paced by the stream's flow-control
 * window (the stream's writability), and the tunnel's end is an empty DATA frame that ends the
 * stream. A 2xx from the core that is not a switch (the origin declined) goes out as 502, so the
 * client never takes it for an open tunnel.
 */
public final class H2StreamCodec extends ChannelDuplexHandler {

    private final Consumer<String> malformedCounter;
    private boolean requestHeadSeen;
    private boolean requestEnded;
    private boolean responseStarted;
    private boolean responseEnded;
    private boolean informational;
    private boolean reset;
    /** The request was an extended CONNECT: the stream may become a tunnel. */
    private boolean tunnelRequest;
    /** The core switched protocols: the stream carries bytes both ways. */
    private boolean tunnelOpen;
    /** The end of the 101 message, which must not end the stream. */
    private boolean switchEndPending;

    /** @param malformedCounter told the reason of each refused request (metrics, logs) */
    public H2StreamCodec(Consumer<String> malformedCounter) {
        this.malformedCounter = malformedCounter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (reset || requestEnded) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof Http2HeadersFrame headers) {
            onHeaders(ctx, headers);
        } else if (msg instanceof Http2DataFrame data) {
            onData(ctx, data);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onHeaders(ChannelHandlerContext ctx, Http2HeadersFrame frame) {
        try {
            if (!requestHeadSeen) {
                boolean extendedConnect = H2RequestTranslator.isExtendedConnect(frame.headers());
                HttpRequest request = H2RequestTranslator.translate(frame.headers(), frame.isEndStream());
                requestHeadSeen = true;
                ctx.fireChannelRead(request);
                if (extendedConnect) {
                    // The handshake request is complete; what the stream carries next is the tunnel's.
                    tunnelRequest = true;
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                    return;
                }
                if (frame.isEndStream()) {
                    requestEnded = true;
                    ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
                }
                return;
            }
            if (tunnelRequest) {
                throw new MalformedRequestException("HEADERS inside a WebSocket tunnel");
            }
            if (!frame.isEndStream()) {
                throw new MalformedRequestException("a second HEADERS frame that does not end the stream");
            }
            H2RequestTranslator.checkTrailers(frame.headers());
            LastHttpContent last = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
            for (var field : frame.headers()) {
                last.trailingHeaders().add(field.getKey(), field.getValue());
            }
            requestEnded = true;
            ctx.fireChannelRead(last);
        } catch (MalformedRequestException e) {
            refuse(ctx, e.getMessage());
        }
    }

    private void onData(ChannelHandlerContext ctx, Http2DataFrame data) {
        if (!requestHeadSeen) {
            data.release();
            refuse(ctx, "DATA before HEADERS");
            return;
        }
        if (tunnelRequest) {
            // Tunnel bytes, unframed. END_STREAM is the client's FIN: nothing more will come, and the
            // tunnel ends when the origin closes (after the WebSocket closing handshake) or idles out.
            requestEnded = data.isEndStream();
            if (data.content().isReadable()) {
                ctx.fireChannelRead(data.content());
            } else {
                data.release();
            }
            return;
        }
        if (data.isEndStream()) {
            requestEnded = true;
            ctx.fireChannelRead(new DefaultLastHttpContent(data.content()));
        } else if (data.content().isReadable()) {
            ctx.fireChannelRead(new DefaultHttpContent(data.content()));
        } else {
            data.release();
        }
    }

    private void refuse(ChannelHandlerContext ctx, String reason) {
        reset = true;
        malformedCounter.accept(reason);
        ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.PROTOCOL_ERROR));
        ctx.close();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (reset || responseEnded) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        if (tunnelOpen) {
            writeTunnel(ctx, msg, promise);
            return;
        }
        if (msg instanceof HttpResponse response) {
            int code = response.status().code();
            Http2Headers headers = H2ResponseHeaders.of(response);
            if (tunnelRequest && code == 101) {
                // RFC 8441 5: success is a 2xx; the HTTP/1.1 handshake's accept key means nothing here.
                headers.status(HttpResponseStatus.OK.codeAsText());
                headers.remove(HttpHeaderNames.SEC_WEBSOCKET_ACCEPT);
                tunnelOpen = true;
                responseStarted = true;
                switchEndPending = true;
                ReferenceCountUtil.release(msg);
                ctx.write(new DefaultHttp2HeadersFrame(headers, false), promise);
                return;
            }
            if (tunnelRequest && code >= 200 && code < 300) {
                headers.status(HttpResponseStatus.BAD_GATEWAY.codeAsText());
            }
            informational = code >= 100 && code < 200;
            responseStarted |= !informational;
            if (msg instanceof HttpContent) {
                // A full response from one object is not what the bridge sends; keep it simple and
                // correct anyway.
                ctx.write(new DefaultHttp2HeadersFrame(headers, false), ctx.voidPromise());
            } else {
                ctx.write(new DefaultHttp2HeadersFrame(headers, false), promise);
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
                    ctx.write(new DefaultHttp2DataFrame(last.content(), true), promise);
                } else {
                    if (last.content().isReadable()) {
                        ctx.write(new DefaultHttp2DataFrame(last.content(), false), ctx.voidPromise());
                    } else {
                        last.release();
                    }
                    Http2Headers trailers = new DefaultHttp2Headers();
                    HttpConversionUtil.toHttp2Headers(last.trailingHeaders(), trailers);
                    ctx.write(new DefaultHttp2HeadersFrame(trailers, true), promise);
                }
                return;
            }
            if (content.content().isReadable()) {
                ctx.write(new DefaultHttp2DataFrame(content.content(), false), promise);
            } else {
                content.release();
                promise.trySuccess();
            }
            return;
        }
        ctx.write(msg, promise);
    }

    private void writeTunnel(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (switchEndPending && msg instanceof LastHttpContent) {
            switchEndPending = false;
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        ByteBuf bytes = msg instanceof ByteBuf b ? b : msg instanceof ByteBufHolder h ? h.content() : null;
        if (bytes == null || !bytes.isReadable()) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
            return;
        }
        ctx.write(new DefaultHttp2DataFrame(bytes, false), promise);
    }

    /**
     * A stream error Netty's codec found (WINDOW_UPDATE 0, DATA past the window, a frame the stream's
     * state forbids) arrives here first. Answered with RST_STREAM carrying that real code: left to
     * the handlers behind, the stream would close and Netty would reset it with CANCEL, which its
     * sent-reset limit does not count, so a client provoking errors on purpose (MadeYouReset,
     * CVE-2025-8671) would never be cut off.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Http2Exception.StreamException error = streamError(cause);
        if (error == null) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (!reset && ctx.channel().isActive()) {
            reset = true;
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(error.error()));
        }
        ctx.close();
    }

    private static Http2Exception.StreamException streamError(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Http2Exception.StreamException e) {
                return e;
            }
        }
        return null;
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        if (tunnelOpen && !responseEnded && !reset && ctx.channel().isActive()) {
            // The tunnel's end, like a TCP FIN: what was sent stays good.
            responseEnded = true;
            ctx.write(new DefaultHttp2DataFrame(Unpooled.EMPTY_BUFFER, true), ctx.voidPromise());
            ctx.flush();
        } else if (!responseEnded && !reset && ctx.channel().isActive()) {
            // The core gave up mid-response (or before answering): say so with the real code.
            reset = true;
            ctx.write(new DefaultHttp2ResetFrame(Http2Error.INTERNAL_ERROR), ctx.voidPromise());
            ctx.flush();
        }
        ctx.close(promise);
    }
}
