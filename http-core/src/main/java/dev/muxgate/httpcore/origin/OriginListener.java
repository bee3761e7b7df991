package dev.muxgate.httpcore.origin;

import io.netty.handler.codec.http.HttpObject;

/** The transaction an origin connection is lent to; called on the connection's event loop. */
public interface OriginListener {

    /** A response head, body piece or end, decoded; the listener owns it. */
    void onOriginMessage(HttpObject message);

    /** The end of one read from the origin: the moment to flush what was passed on. */
    void onOriginReadComplete();

    /** The connection closed or failed before the listener gave it back. */
    void onOriginClosed(Throwable cause);

    /** The origin connection's writability changed; the listener paces the request body with it. */
    void onOriginWritabilityChanged(boolean writable);
}
