package dev.muxgate.gateway.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Session tickets (TLS 1.3 and 1.2 resumption without a server-side cache) and their keys.
 *
 * @param enabled        false: every handshake is a full one
 * @param keyFile        keys shared by a fleet, one base64 48-byte key per line, the first one
 *                       issuing tickets and all of them accepted (as nginx's
 *                       {@code ssl_session_ticket_key} and HAProxy's {@code tls-ticket-keys}); null:
 *                       keys made in memory
 * @param rotateInterval keys made in memory: a new one this often, the previous still accepted
 * @param reloadInterval a key file is checked for changes this often
 */
public record SessionTicketConfig(boolean enabled, Path keyFile, Duration rotateInterval, Duration reloadInterval) {

    public SessionTicketConfig {
        Objects.requireNonNull(rotateInterval, "rotateInterval");
        Objects.requireNonNull(reloadInterval, "reloadInterval");
        if (rotateInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("rotate-interval must be at least 1s");
        }
        if (reloadInterval.toMillis() < 100) {
            throw new IllegalArgumentException("reload-interval must be at least 100ms");
        }
    }

    public static SessionTicketConfig defaults() {
        return new SessionTicketConfig(true, null, Duration.ofHours(1), Duration.ofSeconds(10));
    }
}
