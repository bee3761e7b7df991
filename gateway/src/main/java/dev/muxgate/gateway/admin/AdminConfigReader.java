package dev.muxgate.gateway.admin;

import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.ConfigSection;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the {@code admin:} section of the configuration file into an {@link AdminConfig}. Absent
 * keys take {@link AdminConfig#defaults()}; unknown keys and bad values stop start-up with a
 * {@link ConfigException} naming file, line and key. The endpoint shows every live session's client
 * address, so it listens on loopback unless the operator opts in with {@code allow-remote: true}.
 */
public final class AdminConfigReader {

    /** The top-level key this reader owns; the gateway adds it to the keys it accepts at the root. */
    public static final String SECTION = "admin";

    static final Set<String> KEYS = Set.of("enabled", "host", "port", "allow-remote");

    private AdminConfigReader() {
    }

    /** Reads {@code admin} (an empty section gives the defaults). */
    public static AdminConfig read(ConfigSection admin) {
        admin.rejectUnknownKeys(KEYS);
        AdminConfig d = AdminConfig.defaults();
        boolean enabled = admin.bool("enabled", d.enabled());
        String host = admin.string("host", d.host()).trim();
        if (host.isEmpty()) {
            throw admin.error("host", "expected an address to listen on, such as 127.0.0.1");
        }
        int port = admin.integer("port", d.port(), 0, 65535);
        boolean allowRemote = admin.bool("allow-remote", false);
        if (enabled && !allowRemote && !isLoopback(host)) {
            throw admin.error("host", "\"" + host + "\" is not a loopback address; the admin endpoint shows"
                    + " every client's address, so listening beyond this machine needs allow-remote: true");
        }
        return new AdminConfig(enabled, host, port);
    }

    /**
     * Whether {@code host} surely means this machine only: {@code localhost} or a loopback IP literal
     * ({@code 127.0.0.0/8}, {@code ::1}). Other names are not resolved here (no DNS while reading
     * configuration), so they count as remote.
     */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost")) {
            return true;
        }
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!NetUtil.isValidIpV4Address(h) && !NetUtil.isValidIpV6Address(h)) {
            return false;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(h);
        return address != null && address.isLoopbackAddress();
    }
}
