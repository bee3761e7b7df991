package dev.muxgate.gateway.session;

import dev.muxgate.httpcore.log.FieldText;
import java.util.List;

/**
 * The session log's line: one per ended client session, these fields in this order, separated by
 * one space, with no other text:
 *
 * <pre>
 * time number protocol chi chp sni tlsv cipher ttms streams bytes_in bytes_out reason resumed node
 * 1732550000.123 17 h2 203.0.113.7 50123 localhost TLSv1.3 TLS_AES_128_GCM_SHA256 5321 100 12345 678901 closed 0 0
 * </pre>
 *
 * <ul>
 *   <li>{@code time}: when the session ended, epoch seconds with exactly three decimals of
 *       milliseconds (as the access log's {@code cqtq});</li>
 *   <li>{@code number}: the session number, a decimal 64-bit integer printed as the access log
 *       prints {@code ccid}, so the two logs join on it;</li>
 *   <li>{@code protocol}: the negotiated application protocol ({@code h2}, {@code http/1.1});
 *       text;</li>
 *   <li>{@code chi}, {@code chp}: the client's IP address (text, spelled as the access log's
 *       {@code chi}) and port (a number, {@code -} when not known);</li>
 *   <li>{@code sni}: the server name the client sent; text;</li>
 *   <li>{@code tlsv}, {@code cipher}: the TLS version and cipher suite; text;</li>
 *   <li>{@code ttms}: how long the session lasted, whole milliseconds;</li>
 *   <li>{@code streams}: streams the session opened (one for an HTTP/1.1 connection);</li>
 *   <li>{@code bytes_in}, {@code bytes_out}: bytes received from and sent to the client on the
 *       socket, TLS records included;</li>
 *   <li>{@code reason}: why the session ended ({@code closed}, {@code tls handshake failed},
 *       ...); text;</li>
 *   <li>{@code resumed}: {@code 1} when the TLS handshake resumed an earlier session (a ticket
 *       or a cached session id), {@code 0} for a full handshake. Added last, so older readers
 *       that split 13 fields can tell the two line shapes apart.</li>
 *   <li>{@code node}: the node id of the gateway that numbered the session, read off the number's
 *       top bits ({@link SessionNumbers#nodeOf}); added after {@code resumed} for the same reason.</li>
 * </ul>
 *
 * Text fields are escaped exactly as in the access log ({@link FieldText}): each is one token with
 * no whitespace or line break, {@code -} when unset, read back with
 * {@code AccessLogFormat.unescape}. So a client's SNI can neither break a line nor shift a field. A
 * line starting {@code #} is a note of the writer's own (lines dropped), not a session.
 */
public final class SessionLogFormat {

    /** The field names in line order, as the log tools call them. */
    public static final List<String> FIELDS = List.of(
            "time", "number", "protocol", "chi", "chp", "sni", "tlsv", "cipher",
            "ttms", "streams", "bytes_in", "bytes_out", "reason", "resumed", "node");

    private SessionLogFormat() {
    }

    /** Appends the record's line, without a line terminator, allocating nothing itself. */
    public static void formatTo(StringBuilder line, SessionRecord session) {
        FieldText.appendEpochSeconds(line, session.endEpochMillis());
        line.append(' ').append(session.number()).append(' ');
        FieldText.escapeTo(line, session.protocol());
        line.append(' ');
        FieldText.escapeTo(line, session.clientIp());
        line.append(' ');
        if (session.clientPort() == 0) {
            line.append(FieldText.UNSET);
        } else {
            line.append(session.clientPort());
        }
        line.append(' ');
        FieldText.escapeTo(line, session.sni());
        line.append(' ');
        FieldText.escapeTo(line, session.tlsVersion());
        line.append(' ');
        FieldText.escapeTo(line, session.tlsCipher());
        line.append(' ').append(session.durationMillis())
                .append(' ').append(session.streams())
                .append(' ').append(session.bytesIn())
                .append(' ').append(session.bytesOut())
                .append(' ');
        FieldText.escapeTo(line, session.closeReason());
        line.append(' ').append(session.resumed() ? '1' : '0');
        line.append(' ').append(SessionNumbers.nodeOf(session.number()));
    }

    /** The record's line, without a line terminator. */
    public static String format(SessionRecord session) {
        StringBuilder line = new StringBuilder(160);
        formatTo(line, session);
        return line.toString();
    }
}
