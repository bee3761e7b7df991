package dev.muxgate.gateway.frontdoor;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Last handler of an HTTP/2 or SPDY session: hears the connection errors the session passes on
 * (it has already answered them with GOAWAY), tells the observer, and closes, so no error ends its
 * way at the pipeline's tail as an unhandled warning.
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
        observer.connectionError(session, cause);
        ctx.close();
    }
}
