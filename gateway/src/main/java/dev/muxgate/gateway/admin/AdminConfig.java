package dev.muxgate.gateway.admin;

/**
 * The admin listener: whether it runs, and the address it binds. Loopback by default; a remote
 * address needs {@code allow-remote: true} in the file, which {@link AdminConfigReader} enforces.
 */
public record AdminConfig(boolean enabled, String host, int port) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9090;

    public AdminConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("admin.host must name an address to listen on");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("admin.port must be 0..65535, got " + port);
        }
    }

    /** On, at 127.0.0.1:9090, as {@code conf/gateway.yaml} ships. */
    public static AdminConfig defaults() {
        return new AdminConfig(true, DEFAULT_HOST, DEFAULT_PORT);
    }
}
