package dev.muxgate.spdy.h2;

/**
 * A request that RFC 9113 section 8.1.1 calls malformed, or that could make the HTTP/1.1 side
 * read something the client did not mean: answered with RST_STREAM(PROTOCOL_ERROR), never passed on.
 */
public final class MalformedRequestException extends Exception {

    private static final long serialVersionUID = 1L;

    public MalformedRequestException(String reason) {
        super(reason, null, false, false);
    }
}
