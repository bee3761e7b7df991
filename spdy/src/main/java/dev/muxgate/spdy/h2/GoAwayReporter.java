package dev.muxgate.spdy.h2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;

/**
 * Hears every GOAWAY the session sends and reports it. Netty's guards end a session from several
 * places, some on the outbound side (the queued-control-frame guard against a client that does not
 * read, the sent-reset limit) that never reach the pipeline as an exception: the GOAWAY is the one
 * thing they all have in common.
 */
final class GoAwayReporter extends Http2ConnectionAdapter {

    /** Debug data is the client's to read; the metric only needs its start. */
    private static final int MAX_REASON = 200;

    private final H2SessionEvents events;
    private final Channel connection;

    GoAwayReporter(H2SessionEvents events, Channel connection) {
        this.events = events;
        this.connection = connection;
    }

    @Override
    public void onGoAwaySent(int lastStreamId, long errorCode, ByteBuf debugData) {
        if (clientLeft()) {
            // A write failed because the client had closed its side (Netty then "sends"
            // GOAWAY(INTERNAL_ERROR, "SSLEngine closed already")): nobody will read it, and a
            // client that hangs up is no protocol error. bench/soak.sh counted a few per minute.
            return;
        }
        int n = debugData == null ? 0 : Math.min(debugData.readableBytes(), MAX_REASON);
        String reason = n == 0 ? "" : debugData.toString(debugData.readerIndex(), n, StandardCharsets.UTF_8);
        events.goAwaySent(errorCode, reason);
    }

    private boolean clientLeft() {
        if (!connection.isActive()) {
            return true;
        }
        SslHandler tls = connection.pipeline().get(SslHandler.class);
        return tls != null && tls.engine().isOutboundDone();
    }
}
