package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.log.TransactionRecord;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request the proxy answers itself: the status for the wire, the result for the log, and one
 * sentence for the client. Mapped to the wire in exactly one place, {@code ProxyTransaction}.
 */
final class ProxyException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;
    private final TransactionRecord.Result result;

    ProxyException(HttpResponseStatus status, TransactionRecord.Result result, String sentence) {
        super(sentence, null, false, false);
        this.status = status;
        this.result = result;
    }

    HttpResponseStatus status() {
        return status;
    }

    TransactionRecord.Result result() {
        return result;
    }
}
