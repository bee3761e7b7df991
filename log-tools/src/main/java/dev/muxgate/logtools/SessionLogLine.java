package dev.muxgate.logtools;

import dev.muxgate.httpcore.log.AccessLogFormat;
import java.util.List;

/**
 * One line of the session log, read back. The field order is fixed by the gateway's writer and
 * <b>must match {@code dev.muxgate.gateway.session.SessionLogFormat.FIELDS}</b> (log-tools cannot
 * depend on the gateway module; a test in the gateway is the place to pin the two together):
 * {@code time number protocol chi chp sni tlsv cipher ttms streams bytes_in bytes_out reason resumed node},
 * one space apart, text escaped as in the access log. Lines from before {@code node} and
 * {@code resumed} were added (one or two fields fewer) are read too.
 */
record SessionLogLine(long endMillis, long number, String protocol, String client, long streams) {

    /** The field names in line order; a copy of the gateway's {@code SessionLogFormat.FIELDS}. */
    static final List<String> FIELDS = List.of(
            "time", "number", "protocol", "chi", "chp", "sni", "tlsv", "cipher",
            "ttms", "streams", "bytes_in", "bytes_out", "reason", "resumed", "node");

    private static final int TIME = FIELDS.indexOf("time");
    private static final int NUMBER = FIELDS.indexOf("number");
    private static final int PROTOCOL = FIELDS.indexOf("protocol");
    private static final int CLIENT = FIELDS.indexOf("chi");
    private static final int STREAMS = FIELDS.indexOf("streams");

    SessionKey key() {
        return new SessionKey(protocol == null ? SessionKey.UNTAGGED_PROTOCOL : protocol, number);
    }

    /**
     * Parses one line (no terminator).
     *
     * @throws IllegalArgumentException with a short reason when the line is not a session line
     */
    static SessionLogLine parse(String line) {
        String[] tokens = line.split(" ", -1);
        if (tokens.length > FIELDS.size() || tokens.length < FIELDS.size() - 2) {
            throw new IllegalArgumentException("has " + tokens.length + " fields, not " + FIELDS.size());
        }
        for (String token : tokens) {
            if (token.isEmpty()) {
                throw new IllegalArgumentException("has an empty field");
            }
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (c < 0x21 || c > 0x7E) {
                    throw new IllegalArgumentException("has a byte the log writer never writes");
                }
            }
        }
        String time = tokens[TIME];
        int dot = time.indexOf('.');
        long endMillis;
        try {
            endMillis = dot < 0 ? Long.parseLong(time) * 1000
                    : Long.parseLong(time.substring(0, dot)) * 1000 + Long.parseLong(time.substring(dot + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has a time that is not seconds.millis");
        }
        return new SessionLogLine(endMillis, number(tokens[NUMBER], "number"),
                AccessLogFormat.unescape(tokens[PROTOCOL]), AccessLogFormat.unescape(tokens[CLIENT]),
                number(tokens[STREAMS], "streams"));
    }

    private static long number(String token, String name) {
        try {
            long value = Long.parseLong(token);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("has a " + name + " that is not a number");
        }
    }
}
