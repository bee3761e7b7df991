package dev.muxgate.httpcore.log;

import java.util.Optional;

/**
 * The fields an access log format can name, each with its Apache Traffic Server name (what goes
 * between {@code %<} and {@code >}) and the way its value prints from a {@link TransactionRecord}.
 * The constant names follow the {@code TransactionRecord} accessors; the ATS names keep formats
 * familiar to people who already read ATS logs.
 */
public enum LogField {
    /** Request start, epoch seconds with milliseconds: {@code 1732550000.123}. */
    REQUEST_START("cqtq", Kind.TIMESTAMP, (out, r) -> FieldText.appendEpochSeconds(out, r.startEpochMillis())),
    /** Time from request start to end, in milliseconds. */
    TOTAL_MILLIS("ttms", Kind.NUMBER, (out, r) -> out.append(r.elapsedMillis())),
    CLIENT_IP("chi", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.clientIp())),
    CLIENT_PORT("chp", Kind.NUMBER, (out, r) -> out.append(r.clientPort())),
    PLUGIN_TAG("pitag", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.pluginTag())),
    /** The plugin's numeric id; {@code 0} when no plugin was involved. */
    PLUGIN_ID("piid", Kind.NUMBER, (out, r) -> out.append(r.pluginId())),
    /** Which client connection (session) of this gateway the transaction came on. */
    CONNECTION_ID("ccid", Kind.NUMBER, (out, r) -> out.append(r.connectionId())),
    /** The stream id within the client session (0 on a connection without streams). */
    STREAM_ID("ctid", Kind.NUMBER, (out, r) -> out.append(r.streamId())),
    REQUEST_ID("crid", Kind.NUMBER, (out, r) -> out.append(r.requestId())),
    METHOD("cqhm", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.method())),
    URL("cquc", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.url())),
    /** The client's protocol version, such as {@code HTTP/1.1}. */
    PROTOCOL_VERSION("cqpv", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.protocolVersion())),
    /** Request body bytes received from the client. */
    REQUEST_BODY_BYTES("cqcl", Kind.NUMBER, (out, r) -> out.append(r.requestBodyBytes())),
    /** Status the gateway sent to the client. */
    PROXY_STATUS("pssc", Kind.NUMBER, (out, r) -> out.append(r.proxyStatus())),
    /** Response body bytes the gateway sent to the client. */
    PROXY_BODY_BYTES("psql", Kind.NUMBER, (out, r) -> out.append(r.proxyBodyBytes())),
    /** Status the origin sent; {@code -} when no origin answered. */
    SERVER_STATUS("sssc", Kind.NUMBER, (out, r) -> FieldText.appendOrDash(out, r.serverStatus())),
    SERVER_HOST("shn", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.serverHost())),
    /** The protocol negotiated on the client connection (ALPN), such as {@code h2}. */
    SECURE_PROTOCOL("cqssa", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.secureProtocol())),
    TLS_VERSION("cqssv", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.tlsVersion())),
    TLS_CIPHER("cqssc", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.tlsCipher())),
    /** How the transaction ended: a {@link TransactionRecord.Result} name. */
    RESULT("crc", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.result() == null ? null : r.result().name())),
    /** Why the proxy answered itself or ended early, as a sentence ({@code -} when it did not). */
    REASON("psrn", Kind.TEXT, (out, r) -> FieldText.escapeTo(out, r.reason()));

    /** How a field's value is written, and so how a reader turns the token back into a value. */
    public enum Kind {
        /** A decimal integer; {@code -} stands for 0 where the field says so ({@code sssc}). */
        NUMBER,
        /** Epoch seconds, a dot, and exactly three digits of milliseconds. */
        TIMESTAMP,
        /** Escaped text ({@link AccessLogFormat#unescape}); a bare {@code -} means unset. */
        TEXT
    }

    /** Appends one field's value; must not allocate on the writer's per-line path. */
    @FunctionalInterface
    interface ValuePrinter {
        void append(StringBuilder out, TransactionRecord record);
    }

    private final String atsName;
    private final Kind kind;
    private final ValuePrinter printer;

    LogField(String atsName, Kind kind, ValuePrinter printer) {
        this.atsName = atsName;
        this.kind = kind;
        this.printer = printer;
    }

    /** The name written in a format string between {@code %<} and {@code >}. */
    public String atsName() {
        return atsName;
    }

    public Kind kind() {
        return kind;
    }

    /** The field with this ATS name (case-sensitive, as in ATS), if there is one. */
    public static Optional<LogField> fromAtsName(String name) {
        for (LogField field : values()) {
            if (field.atsName.equals(name)) {
                return Optional.of(field);
            }
        }
        return Optional.empty();
    }

    void appendValue(StringBuilder out, TransactionRecord record) {
        printer.append(out, record);
    }

    /** Appends the value as JSON: a string (or null) for text, a number (or null for an unset {@code sssc}). */
    void appendJson(StringBuilder out, TransactionRecord record) {
        switch (kind) {
            case TEXT -> JsonText.appendString(out, text(record));
            case NUMBER -> {
                if (this == SERVER_STATUS && record.serverStatus() == 0) {
                    out.append("null");
                } else {
                    printer.append(out, record);
                }
            }
            case TIMESTAMP -> printer.append(out, record);
        }
    }

    /** The raw value of a text field, before any escaping. */
    private String text(TransactionRecord r) {
        return switch (this) {
            case CLIENT_IP -> r.clientIp();
            case PLUGIN_TAG -> r.pluginTag();
            case METHOD -> r.method();
            case URL -> r.url();
            case PROTOCOL_VERSION -> r.protocolVersion();
            case SERVER_HOST -> r.serverHost();
            case SECURE_PROTOCOL -> r.secureProtocol();
            case TLS_VERSION -> r.tlsVersion();
            case TLS_CIPHER -> r.tlsCipher();
            case RESULT -> r.result() == null ? null : r.result().name();
            default -> throw new IllegalStateException(this + " is not a text field");
        };
    }
}
