package dev.muxgate.httpcore.config;

import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfigReader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the proxy core's part of the configuration file ({@code listeners}, {@code limits},
 * {@code origins}, {@code remap}, {@code logs.access}) into a {@link CoreConfig}. Absent keys take
 * the records' defaults. Unknown keys are refused inside these sections, but not at the top level:
 * the gateway owns the root and checks it against {@link #TOP_LEVEL_KEYS} plus its own keys.
 */
public final class CoreConfigReader {

    /** The top-level keys the core reads; the gateway adds its own before rejecting unknown ones. */
    public static final Set<String> TOP_LEVEL_KEYS = Set.of("listeners", "limits", "origins", "remap", "logs");

    static final Set<String> LISTENERS_KEYS = Set.of("http");
    static final Set<String> HTTP_LISTENER_KEYS = Set.of("enabled", "host", "port", ProxyProtocolConfigReader.KEY);
    static final Set<String> LIMITS_KEYS = Set.of(
            "request-line-bytes", "header-bytes", "header-count", "request-body-bytes",
            "header-timeout", "body-timeout", "idle-timeout", "pipelined-requests", "body-min-rate");
    static final Set<String> ORIGINS_KEYS = Set.of(
            "connect-timeout", "response-timeout", "max-connections-per-origin", "idle-timeout", "max-waiters", "tls");
    static final Set<String> ORIGIN_TLS_KEYS = Set.of("ca-file", "cert", "key");
    static final Set<String> REMAP_RULE_KEYS = Set.of("host", "path", "to");
    /** {@code session} belongs to the gateway; it is allowed here and left alone. */
    static final Set<String> LOGS_KEYS = Set.of("access", "session");
    static final Set<String> ACCESS_LOG_KEYS = Set.of(
            "enabled", "path", "format", "rotate-size", "rotate-interval", "keep", "queue-lines", "syntax", "syslog");

    private CoreConfigReader() {
    }

    public static CoreConfig read(ConfigSection root) {
        ConfigSection listeners = root.optionalSection("listeners");
        listeners.rejectUnknownKeys(LISTENERS_KEYS);
        ConfigSection logs = root.optionalSection("logs");
        logs.rejectUnknownKeys(LOGS_KEYS);
        return new CoreConfig(
                listener(listeners.optionalSection("http")),
                limits(root.optionalSection("limits")),
                origins(root.optionalSection("origins")),
                remap(root),
                accessLog(logs.optionalSection("access")));
    }

    private static ListenerConfig listener(ConfigSection http) {
        http.rejectUnknownKeys(HTTP_LISTENER_KEYS);
        ListenerConfig d = ListenerConfig.defaults();
        boolean enabled = http.bool("enabled", d.enabled());
        String host = http.string("host", d.host());
        int port = http.integer("port", d.port());
        ProxyProtocolConfig proxyProtocol = ProxyProtocolConfigReader.read(http.optionalSection(ProxyProtocolConfigReader.KEY));
        return construct(http, HTTP_LISTENER_KEYS, () -> new ListenerConfig(enabled, host, port, proxyProtocol));
    }

    private static LimitsConfig limits(ConfigSection limits) {
        limits.rejectUnknownKeys(LIMITS_KEYS);
        LimitsConfig d = LimitsConfig.defaults();
        int requestLineBytes = (int) limits.size("request-line-bytes", d.requestLineBytes(), Integer.MAX_VALUE);
        int headerBytes = (int) limits.size("header-bytes", d.headerBytes(), Integer.MAX_VALUE);
        int headerCount = limits.integer("header-count", d.headerCount());
        long requestBodyBytes = limits.size("request-body-bytes", d.requestBodyBytes());
        Duration headerTimeout = limits.duration("header-timeout", d.headerTimeout());
        Duration bodyTimeout = limits.duration("body-timeout", d.bodyTimeout());
        Duration idleTimeout = limits.duration("idle-timeout", d.idleTimeout());
        int pipelinedRequests = limits.integer("pipelined-requests", d.pipelinedRequests());
        long bodyMinRate = limits.size("body-min-rate", d.bodyMinRate());
        return construct(limits, LIMITS_KEYS, () -> new LimitsConfig(
                requestLineBytes, headerBytes, headerCount, requestBodyBytes,
                headerTimeout, bodyTimeout, idleTimeout, pipelinedRequests, bodyMinRate));
    }

    private static OriginPoolConfig origins(ConfigSection origins) {
        origins.rejectUnknownKeys(ORIGINS_KEYS);
        OriginPoolConfig d = OriginPoolConfig.defaults();
        Duration connectTimeout = origins.duration("connect-timeout", d.connectTimeout());
        Duration responseTimeout = origins.duration("response-timeout", d.responseTimeout());
        int maxConnections = origins.integer("max-connections-per-origin", d.maxConnectionsPerOrigin());
        Duration idleTimeout = origins.duration("idle-timeout", d.idleTimeout());
        int maxWaiters = origins.integer("max-waiters", d.maxWaiters());
        OriginTlsConfig tls = originTls(origins.optionalSection("tls"));
        return construct(origins, ORIGINS_KEYS, () -> new OriginPoolConfig(
                connectTimeout, responseTimeout, maxConnections, idleTimeout, maxWaiters, tls));
    }

    private static OriginTlsConfig originTls(ConfigSection tls) {
        tls.rejectUnknownKeys(ORIGIN_TLS_KEYS);
        Path caFile = readableFile(tls, "ca-file");
        Path certFile = readableFile(tls, "cert");
        Path keyFile = readableFile(tls, "key");
        if (caFile != null) {
            requireCertificates(tls, "ca-file", caFile);
        }
        return construct(tls, Map.of("cert", "cert", "key", "key"),
                () -> new OriginTlsConfig(caFile, certFile, keyFile));
    }

    /** Absent: the demo catch-all rule; {@code remap: []}: no rules, so every request is answered 404. */
    private static List<RemapRule> remap(ConfigSection root) {
        if (!root.has("remap")) {
            return CoreConfig.defaults().remap();
        }
        List<RemapRule> rules = new ArrayList<>();
        for (ConfigSection rule : root.list("remap")) {
            rule.rejectUnknownKeys(REMAP_RULE_KEYS);
            String host = rule.string("host", RemapRule.ANY_HOST);
            String pathPrefix = rule.string("path", "/");
            URI target = uri(rule, "to");
            // The record says "target" where the file says "to".
            rules.add(construct(rule, Map.of("host", "host", "path", "path", "target", "to"),
                    () -> new RemapRule(host, pathPrefix, target)));
        }
        return rules;
    }

    private static AccessLogConfig accessLog(ConfigSection access) {
        access.rejectUnknownKeys(ACCESS_LOG_KEYS);
        AccessLogConfig d = AccessLogConfig.defaults();
        boolean enabled = access.bool("enabled", d.enabled());
        Path path = path(access, "path", d.path());
        String format = access.string("format", d.format());
        long rotateBytes = access.size("rotate-size", d.rotateBytes());
        Duration rotateInterval = access.duration("rotate-interval", d.rotateInterval());
        int keepFiles = access.integer("keep", d.keepFiles());
        int queueLines = access.integer("queue-lines", d.queueLines());
        LogSyntax syntax = syntax(access);
        SyslogConfig syslog = syslog(access.optionalSection("syslog"));
        AccessLogConfig config = construct(access, ACCESS_LOG_KEYS, () -> new AccessLogConfig(
                enabled, path, format, rotateBytes, rotateInterval, keepFiles, queueLines, syntax, syslog));
        try {
            // Here rather than when the writer opens, so a bad format names its line (start-up and reload).
            dev.muxgate.httpcore.log.AccessLogs.formatter(config);
        } catch (IllegalArgumentException e) {
            throw access.error(access.has("format") ? "format" : "syntax", e.getMessage());
        }
        return config;
    }

    static final Set<String> SYSLOG_KEYS = Set.of("enabled", "address", "transport", "facility", "app-name", "queue-lines");

    /**
     * {@code syslog} of a log section (the session log's reader uses it too): {@code enabled},
     * {@code address} (host:port), {@code transport} (udp, tcp), {@code facility} (local0..local7
     * or 0..23), {@code app-name}, {@code queue-lines}.
     */
    public static SyslogConfig syslog(ConfigSection s) {
        s.rejectUnknownKeys(SYSLOG_KEYS);
        SyslogConfig d = SyslogConfig.defaults();
        boolean enabled = s.bool("enabled", d.enabled());
        String address = s.string("address", d.host() + ":" + d.port());
        int colon = address.lastIndexOf(':');
        String host;
        int port;
        try {
            host = address.substring(0, colon).replace("[", "").replace("]", "");
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (RuntimeException e) {
            throw s.error("address", "expected host:port, got \"" + address + "\"");
        }
        String transport = s.string("transport", "udp");
        if (!transport.equals("udp") && !transport.equals("tcp")) {
            throw s.error("transport", "expected udp or tcp, got \"" + transport + "\"");
        }
        String facilityText = s.string("facility", "local0");
        int facility;
        if (facilityText.matches("local[0-7]")) {
            facility = 16 + (facilityText.charAt(5) - '0');
        } else {
            try {
                facility = Integer.parseInt(facilityText);
            } catch (NumberFormatException e) {
                throw s.error("facility", "expected local0..local7 or 0..23, got \"" + facilityText + "\"");
            }
        }
        String appName = s.string("app-name", d.appName());
        int queueLines = s.integer("queue-lines", d.queueLines());
        Map<String, String> keys = Map.of("port", "address", "facility", "facility", "app-name", "app-name",
                "queue-lines", "queue-lines");
        return construct(s, keys, () -> new SyslogConfig(enabled, host, port, transport.equals("tcp"), facility,
                appName, queueLines));
    }

    /** {@code syntax: text | json} of a log section (the session log's reader uses it too). */
    public static LogSyntax syntax(ConfigSection log) {
        String word = log.string("syntax", LogSyntax.TEXT.word());
        return LogSyntax.fromWord(word).orElseThrow(() -> log.error("syntax",
                "expected text or json, got \"" + word + "\""));
    }

    private static URI uri(ConfigSection section, String key) {
        String text = section.string(key);
        try {
            return new URI(text);
        } catch (URISyntaxException e) {
            throw section.error(key, "not a URI (" + e.getReason() + " at index " + e.getIndex()
                    + "); expected http://host[:port][/path], https://host[:port][/path] or internal:demo, got \"" + text + "\"");
        }
    }

    /** A path as written; a relative one stays relative and is resolved by whoever opens it. */
    /**
     * A file the gateway reads when it starts (or reloads): refused here, with its key, when it is
     * not there, so a typo stops start-up with exit status 2 rather than at the first request.
     */
    private static Path readableFile(ConfigSection section, String key) {
        Path file = path(section, key, null);
        if (file != null && !Files.isReadable(file)) {
            throw section.error(key, Files.exists(file) ? "cannot read " + file : "no such file: " + file);
        }
        return file;
    }

    /** A CA file holds at least one PEM (or DER) X.509 certificate; the JDK's parser tells. */
    private static void requireCertificates(ConfigSection section, String key, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            if (CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw section.error(key, "no certificate in " + file);
            }
        } catch (IOException | CertificateException e) {
            throw section.error(key, "not a certificate file: " + file + " (" + e.getMessage() + ")");
        }
    }

    private static Path path(ConfigSection section, String key, Path defaultValue) {
        if (!section.has(key)) {
            return defaultValue;
        }
        String text = section.string(key, null);
        try {
            return Path.of(text);
        } catch (InvalidPathException e) {
            throw section.error(key, "not a file path: " + e.getReason());
        }
    }

    private static <T> T construct(ConfigSection section, Set<String> keys, Supplier<T> constructor) {
        return construct(section,
                keys.stream().collect(Collectors.toMap(Function.identity(), Function.identity())),
                constructor);
    }

    /**
     * Builds a record, turning its IllegalArgumentException into a ConfigException. The records
     * validate (so the rules live in one place) and name the offending setting in their message;
     * {@code keyByWord} maps that name to the key in the file, so the error points at its line.
     */
    private static <T> T construct(ConfigSection section, Map<String, String> keyByWord, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String key = firstNamedKey(message, keyByWord);
            throw key == null ? section.error(message) : section.error(key, message);
        }
    }

    private static String firstNamedKey(String message, Map<String, String> keyByWord) {
        String key = null;
        int earliest = Integer.MAX_VALUE;
        for (Map.Entry<String, String> candidate : keyByWord.entrySet()) {
            Matcher matcher = Pattern.compile("(?<![\\w-])" + Pattern.quote(candidate.getKey()) + "(?![\\w-])")
                    .matcher(message);
            if (matcher.find() && matcher.start() < earliest) {
                earliest = matcher.start();
                key = candidate.getValue();
            }
        }
        return key;
    }
}
