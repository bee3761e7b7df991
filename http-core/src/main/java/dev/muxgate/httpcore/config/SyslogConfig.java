package dev.muxgate.httpcore.config;

import java.util.Objects;

/**
 * Delivery of a log's lines to a syslog server as well as to its file ({@code logs.access.syslog},
 * {@code logs.session.syslog}): RFC 5424 messages over UDP (RFC 5426) or TCP (octet counting,
 * RFC 6587), severity informational.
 *
 * @param enabled    false sends nothing
 * @param host       the server's address or name
 * @param port       the server's port
 * @param tcp        TCP rather than UDP
 * @param facility   0..23 (16..23 are local0..local7)
 * @param appName    the APP-NAME of each message: printable ASCII, at most 48 characters
 * @param queueLines messages waiting for the network; past it a line is not sent (the file still has it)
 */
public record SyslogConfig(boolean enabled, String host, int port, boolean tcp, int facility, String appName,
                           int queueLines) {

    public SyslogConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(appName, "appName");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("facility must be 0..23 or local0..local7, got " + facility);
        }
        if (appName.isEmpty() || appName.length() > 48 || !appName.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("app-name must be 1 to 48 printable ASCII characters, got \"" + appName + "\"");
        }
        if (queueLines <= 0) {
            throw new IllegalArgumentException("queue-lines must be positive");
        }
    }

    /** Off; when turned on, local0 on 127.0.0.1:514 over UDP as {@code muxgate}. */
    public static SyslogConfig defaults() {
        return new SyslogConfig(false, "127.0.0.1", 514, false, 16, "muxgate", 65536);
    }
}
