package dev.muxgate.gateway.frontdoor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Exception;

/**
 * Last handler of an HTTP/2 or SPDY session: takes the errors that reach the end of the pipeline,
 * so none ends as an unhandled warning at its tail. An HTTP/2 error is the frame codec's to answer:
 * it has fired it here first and sends GOAWAY with the real code next, then closes; closing here
 * would get in first with a graceful GOAWAY(NO_ERROR) and hide the code from the client (the
 * GOAWAY itself is counted where it is sent). A SPDY session error has been answered with GOAWAY
 * already and is counted here. Anything else (an I/O error, a bug in a handler) closes the
 * connection.
 */
final class ConnectionErrorWatcher extends ChannelInboundHandlerAdapter {

    private final SessionContext session;
    private final SessionObserver observer;

    ConnectionErrorWatcher(SessionContext session, SessionObserver observer) {
        this.session = session;
        this.observer = observer;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        session.closeReason("connection error");
        if (cause instanceof Http2Exception) {
            return;
        }
        observer.connectionError(session, cause);
        ctx.close();
    }
}
