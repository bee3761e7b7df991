package dev.muxgate.gateway.frontdoor;

/**
 * The {@code connections:} section of {@code conf/gateway.yaml}: how many client connections the
 * TLS listener holds at once, in all and from one client address. A connection past either cap is
 * closed as it is accepted, before any TLS work, and counted. Defaults mirror the shipped file.
 *
 * @param max          connections open at once on the TLS and the plain listener together
 * @param maxPerClient connections open at once from one client IP address
 */
public record ConnectionCapsConfig(int max, int maxPerClient) {

    public static final String SECTION = "connections";

    public ConnectionCapsConfig {
        if (max <= 0) {
            throw new IllegalArgumentException("max must be positive, got " + max);
        }
        if (maxPerClient <= 0 || maxPerClient > max) {
            throw new IllegalArgumentException("max-per-client must be from 1 to max (" + max + "), got " + maxPerClient);
        }
    }

    public static ConnectionCapsConfig defaults() {
        return new ConnectionCapsConfig(20_000, 1_000);
    }
}
