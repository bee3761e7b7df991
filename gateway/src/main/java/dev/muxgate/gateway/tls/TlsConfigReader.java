package dev.muxgate.gateway.tls;

import dev.muxgate.httpcore.balancer.ProxyProtocolConfigReader;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.ConfigSection;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code tls:} section of the configuration file into a {@link TlsConfig}. Absent keys
 * take {@link TlsConfig#defaults()}; unknown keys and bad values stop start-up with a
 * {@link ConfigException} naming file, line and key. No file is opened here: certificate files are
 * read when the front end is built.
 */
public final class TlsConfigReader {

    /** The top-level key this reader owns; the gateway adds it to the keys it accepts at the root. */
    public static final String SECTION = "tls";

    static final Set<String> KEYS = Set.of("enabled", "host", "port", "protocols", "versions", "provider",
            "handshake-timeout", "state-dir", "certificates", "session-tickets", ProxyProtocolConfigReader.KEY);
    static final Set<String> CERTIFICATE_KEYS = Set.of("names", "cert", "key");

    // An LDH host name (RFC 1123), optionally with one leading "*." label as SNI certificates allow.
    private static final Pattern HOST_NAME = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    private TlsConfigReader() {
    }

    /** Reads {@code tls} (an empty section gives the defaults). */
    public static TlsConfig read(ConfigSection tls) {
        tls.rejectUnknownKeys(KEYS);
        TlsConfig d = TlsConfig.defaults();
        return new TlsConfig(
                tls.bool("enabled", d.enabled()),
                host(tls, d.host()),
                tls.integer("port", d.port(), 0, 65535),
                names(tls, "protocols", d.protocols(), TlsConfig.KNOWN_PROTOCOLS),
                names(tls, "versions", d.versions(), TlsConfig.KNOWN_VERSIONS),
                provider(tls, d.provider()),
                positive(tls, "handshake-timeout", d),
                path(tls, "state-dir", d.stateDir()),
                certificates(tls),
                sessionTickets(tls.optionalSection("session-tickets")),
                ProxyProtocolConfigReader.read(tls.optionalSection(ProxyProtocolConfigReader.KEY)));
    }

    private static SessionTicketConfig sessionTickets(ConfigSection s) {
        s.rejectUnknownKeys(Set.of("enabled", "key-file", "rotate-interval", "reload-interval"));
        SessionTicketConfig d = SessionTicketConfig.defaults();
        String keyFileText = s.string("key-file", "");
        Path keyFile = keyFileText.isEmpty() ? null : path(s, "key-file", keyFileText);
        if (keyFile != null) {
            // A bad key file stops start-up here, named with the key, rather than at the first handshake.
            try {
                SessionTicketKeys.read(keyFile);
            } catch (TlsSetupException e) {
                throw s.error("key-file", e.getMessage());
            }
        }
        try {
            return new SessionTicketConfig(s.bool("enabled", d.enabled()), keyFile,
                    s.duration("rotate-interval", d.rotateInterval()), s.duration("reload-interval", d.reloadInterval()));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static String host(ConfigSection tls, String defaultHost) {
        String host = tls.string("host", defaultHost).trim();
        if (host.isEmpty()) {
            throw tls.error("host", "expected an address to listen on, such as 0.0.0.0 or 127.0.0.1");
        }
        return host;
    }

    private static Duration positive(ConfigSection tls, String key, TlsConfig d) {
        Duration timeout = tls.duration(key, d.handshakeTimeout());
        if (timeout.isZero()) {
            throw tls.error(key, "expected a duration above 0, such as 10s");
        }
        return timeout;
    }

    private static TlsConfig.Provider provider(ConfigSection tls, TlsConfig.Provider defaultProvider) {
        String text = tls.string("provider", defaultProvider.name().toLowerCase(Locale.ROOT));
        switch (text) {
            case "auto":
                return TlsConfig.Provider.AUTO;
            case "openssl":
                return TlsConfig.Provider.OPENSSL;
            case "jdk":
                return TlsConfig.Provider.JDK;
            default:
                throw tls.error("provider", "expected auto, openssl or jdk, got \"" + text + "\"");
        }
    }

    /** A list of distinct names from {@code known}, in the file's order. */
    private static List<String> names(ConfigSection tls, String key, List<String> defaults, List<String> known) {
        List<String> values = scalarList(tls, key);
        if (values == null) {
            return defaults;
        }
        if (values.isEmpty()) {
            throw tls.error(key, "expected at least one of " + String.join(", ", known));
        }
        List<String> seen = new ArrayList<>();
        for (String value : values) {
            if (!known.contains(value)) {
                throw tls.error(key, "unknown name \"" + value + "\"; expected names from "
                        + String.join(", ", known));
            }
            if (seen.contains(value)) {
                throw tls.error(key, "\"" + value + "\" is listed twice");
            }
            seen.add(value);
        }
        return List.copyOf(seen);
    }

    private static Path path(ConfigSection section, String key, Path defaultPath) {
        String text = section.string(key, defaultPath.toString());
        return path(section, key, text);
    }

    private static Path path(ConfigSection section, String key, String text) {
        if (text.isBlank()) {
            throw section.error(key, "expected a file path, got an empty string");
        }
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw section.error(key, "not a valid path: " + e.getReason());
        }
    }

    private static List<TlsConfig.CertificateEntry> certificates(ConfigSection tls) {
        List<TlsConfig.CertificateEntry> entries = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (ConfigSection item : tls.list("certificates")) {
            item.rejectUnknownKeys(CERTIFICATE_KEYS);
            List<String> raw = scalarList(item, "names");
            if (raw == null || raw.isEmpty()) {
                throw item.error("names", "expected at least one host name such as example.com or *.example.com");
            }
            List<String> names = new ArrayList<>();
            for (String name : raw) {
                String lower = name.trim().toLowerCase(Locale.ROOT);
                if (!HOST_NAME.matcher(lower).matches() || lower.length() > 253) {
                    throw item.error("names", "\"" + name + "\" is not a host name or a *.domain wildcard");
                }
                String owner = owners.putIfAbsent(lower, item.path());
                if (owner != null) {
                    throw item.error("names", "\"" + lower + "\" is already served by " + owner);
                }
                names.add(lower);
            }
            entries.add(new TlsConfig.CertificateEntry(names,
                    path(item, "cert", item.string("cert")),
                    path(item, "key", item.string("key"))));
        }
        return entries;
    }

    static List<String> scalarList(ConfigSection section, String key) {
        return section.strings(key);
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
