package dev.muxgate.gateway;

import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.warmup.WarmUpConfig;
import dev.muxgate.gateway.admin.AdminConfigReader;
import dev.muxgate.gateway.frontdoor.ConnectionCapsConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.session.SessionLogConfigReader;
import dev.muxgate.gateway.session.SessionNumbers;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.gateway.tls.TlsConfigReader;
import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigSection;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.CoreConfigReader;
import dev.muxgate.spdy.h2.H2Limits;
import dev.muxgate.spdy.spdy.SpdyLimits;
import java.nio.file.Files;
import java.time.Duration;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The whole configuration file: the core's sections, the TLS front end, the HTTP/2 and SPDY
 * limits and the node id. The gateway owns the root, so it is the one that rejects unknown top-level keys.
 */
public record GatewayConfig(Path source, CoreConfig core, TlsConfig tls, H2Limits h2, int nodeId,
                            Duration shutdownGrace, SessionLogConfig sessionLog, AdminConfig admin,
                            SpdyLimits spdy, WarmUpConfig warmUp, ConnectionCapsConfig connections) {

    static final String H2_SECTION = "h2";
    static final String SPDY_SECTION = "spdy";
    static final String NODE_ID = "node-id";
    static final String SHUTDOWN_GRACE = "shutdown-grace";
    static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    static final String WARM_UP_SECTION = "warm-up";
    static final Set<String> TOP_LEVEL_KEYS;

    static {
        Set<String> keys = new HashSet<>(CoreConfigReader.TOP_LEVEL_KEYS);
        keys.add(TlsConfigReader.SECTION);
        keys.add(H2_SECTION);
        keys.add(SPDY_SECTION);
        keys.add(NODE_ID);
        keys.add(SHUTDOWN_GRACE);
        keys.add(AdminConfigReader.SECTION);
        keys.add(WARM_UP_SECTION);
        keys.add(ConnectionCapsConfig.SECTION);
        TOP_LEVEL_KEYS = Set.copyOf(keys);
    }

    public GatewayConfig {
        if (nodeId < 0 || nodeId > SessionNumbers.MAX_NODE_ID) {
            throw new IllegalArgumentException("node-id must be 0.." + SessionNumbers.MAX_NODE_ID);
        }
        java.util.Objects.requireNonNull(sessionLog, "sessionLog");
        java.util.Objects.requireNonNull(admin, "admin");
        java.util.Objects.requireNonNull(warmUp, "warmUp");
        java.util.Objects.requireNonNull(spdy, "spdy");
        java.util.Objects.requireNonNull(connections, "connections");
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdown-grace must not be negative");
        }
    }

    /** Everything at its default, as an empty file gives. */
    public static GatewayConfig defaults(Path source) {
        return new GatewayConfig(source, CoreConfig.defaults(), TlsConfig.defaults(), H2Limits.defaults(), 0, DEFAULT_SHUTDOWN_GRACE,
                SessionLogConfig.defaults(), AdminConfig.defaults(), SpdyLimits.defaults(), WarmUpConfig.defaults(),
                ConnectionCapsConfig.defaults());
    }

    public GatewayConfig withCore(CoreConfig newCore) {
        return new GatewayConfig(source, newCore, tls, h2, nodeId, shutdownGrace, sessionLog, admin, spdy, warmUp, connections);
    }

    public GatewayConfig withShutdownGrace(Duration grace) {
        return new GatewayConfig(source, core, tls, h2, nodeId, grace, sessionLog, admin, spdy, warmUp, connections);
    }

    public GatewayConfig withSessionLog(SessionLogConfig newSessionLog) {
        return new GatewayConfig(source, core, tls, h2, nodeId, shutdownGrace, newSessionLog, admin, spdy, warmUp, connections);
    }

    public GatewayConfig withAdmin(AdminConfig newAdmin) {
        return new GatewayConfig(source, core, tls, h2, nodeId, shutdownGrace, sessionLog, newAdmin, spdy, warmUp, connections);
    }

    public GatewayConfig withTls(TlsConfig newTls) {
        return new GatewayConfig(source, core, newTls, h2, nodeId, shutdownGrace, sessionLog, admin, spdy, warmUp, connections);
    }

    public GatewayConfig withWarmUp(WarmUpConfig newWarmUp) {
        return new GatewayConfig(source, core, tls, h2, nodeId, shutdownGrace, sessionLog, admin, spdy, newWarmUp, connections);
    }

    public GatewayConfig withSpdy(SpdyLimits newSpdy) {
        return new GatewayConfig(source, core, tls, h2, nodeId, shutdownGrace, sessionLog, admin, newSpdy, warmUp, connections);
    }

    public GatewayConfig withH2(H2Limits newH2) {
        return new GatewayConfig(source, core, tls, newH2, nodeId, shutdownGrace, sessionLog, admin, spdy, warmUp, connections);
    }

    public GatewayConfig withConnections(ConnectionCapsConfig newConnections) {
        return new GatewayConfig(source, core, tls, h2, nodeId, shutdownGrace, sessionLog, admin, spdy, warmUp, newConnections);
    }

    /** Loads {@code file}; a missing default file means the built-in defaults. */
    public static GatewayConfig load(Path file) {
        if (!Files.exists(file) && file.equals(Path.of("conf/gateway.yaml"))) {
            return defaults(file);
        }
        ConfigSection root = ConfigDocument.load(file).root();
        root.rejectUnknownKeys(TOP_LEVEL_KEYS);
        CoreConfig core = CoreConfigReader.read(root);
        SessionLogConfig sessionLog = SessionLogConfigReader.read(
                root.optionalSection("logs").optionalSection(SessionLogConfigReader.SECTION));
        TlsConfig tls = TlsConfigReader.read(root.optionalSection(TlsConfigReader.SECTION));
        H2Limits h2 = readH2(root.optionalSection(H2_SECTION));
        int nodeId = root.integer(NODE_ID, 0, 0, SessionNumbers.MAX_NODE_ID);
        Duration grace = root.duration(SHUTDOWN_GRACE, DEFAULT_SHUTDOWN_GRACE);
        AdminConfig admin = AdminConfigReader.read(root.optionalSection(AdminConfigReader.SECTION));
        SpdyLimits spdy = readSpdy(root.optionalSection(SPDY_SECTION));
        WarmUpConfig warmUp = readWarmUp(root.optionalSection(WARM_UP_SECTION));
        ConnectionCapsConfig connections = readConnections(root.optionalSection(ConnectionCapsConfig.SECTION));
        return new GatewayConfig(file, core, tls, h2, nodeId, grace, sessionLog, admin, spdy, warmUp, connections);
    }

    private static ConnectionCapsConfig readConnections(ConfigSection s) {
        s.rejectUnknownKeys(Set.of("max", "max-per-client"));
        ConnectionCapsConfig d = ConnectionCapsConfig.defaults();
        try {
            return new ConnectionCapsConfig(s.integer("max", d.max(), 1, 10_000_000),
                    s.integer("max-per-client", d.maxPerClient(), 1, 10_000_000));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static WarmUpConfig readWarmUp(ConfigSection s) {
        s.rejectUnknownKeys(Set.of("requests", "handshakes", "max-time"));
        WarmUpConfig d = WarmUpConfig.defaults();
        try {
            return new WarmUpConfig(s.integer("requests", d.requests(), 0, WarmUpConfig.MAX_REQUESTS),
                    s.integer("handshakes", d.handshakes(), 0, WarmUpConfig.MAX_HANDSHAKES),
                    s.duration("max-time", d.maxTime()));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static H2Limits readH2(ConfigSection s) {
        s.rejectUnknownKeys(Set.of("max-concurrent-streams", "max-header-list-bytes", "initial-window-bytes",
                "max-resets-per-window", "reset-window", "max-queued-control-frames", "max-empty-data-frames",
                "max-small-continuations", "idle-timeout", "max-control-frames-per-request",
                "stalled-stream-timeout"));
        H2Limits d = H2Limits.defaults();
        try {
            return new H2Limits(
                    s.integer("max-concurrent-streams", d.maxConcurrentStreams(), 1, 10_000),
                    (int) s.size("max-header-list-bytes", d.maxHeaderListBytes(), 1024 * 1024),
                    (int) s.size("initial-window-bytes", d.initialWindowBytes(), Integer.MAX_VALUE - 1),
                    s.integer("max-resets-per-window", d.maxResetsPerWindow(), 1, 1_000_000),
                    (int) s.duration("reset-window", Duration.ofSeconds(d.resetWindowSeconds())).toSeconds(),
                    s.integer("max-queued-control-frames", d.maxQueuedControlFrames(), 1, 1_000_000),
                    s.integer("max-empty-data-frames", d.maxEmptyDataFrames(), 1, 1000),
                    s.integer("max-small-continuations", d.maxSmallContinuations(), 1, 1000),
                    s.duration("idle-timeout", d.idleTimeout()),
                    s.integer("max-control-frames-per-request", d.maxControlFramesPerRequest(), 1, 1_000_000),
                    s.duration("stalled-stream-timeout", d.stalledStreamTimeout()));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }

    private static SpdyLimits readSpdy(ConfigSection s) {
        s.rejectUnknownKeys(Set.of("max-concurrent-streams", "max-header-block-bytes", "initial-window-bytes",
                "session-window-bytes", "max-resets-per-window", "max-pings-per-window", "max-settings-per-window",
                "flood-window", "max-queued-control-frames", "idle-timeout"));
        SpdyLimits d = SpdyLimits.defaults();
        try {
            return new SpdyLimits(
                    s.integer("max-concurrent-streams", d.maxConcurrentStreams(), 1, 10_000),
                    (int) s.size("max-header-block-bytes", d.maxHeaderBlockBytes(), 1024 * 1024),
                    (int) s.size("initial-window-bytes", d.initialWindowBytes(), Integer.MAX_VALUE - 1),
                    (int) s.size("session-window-bytes", d.sessionWindowBytes(), Integer.MAX_VALUE - 1),
                    s.integer("max-resets-per-window", d.maxResetsPerWindow(), 1, 1_000_000),
                    s.integer("max-pings-per-window", d.maxPingsPerWindow(), 1, 1_000_000),
                    s.integer("max-settings-per-window", d.maxSettingsPerWindow(), 1, 1_000_000),
                    s.duration("flood-window", d.floodWindow()),
                    s.integer("max-queued-control-frames", d.maxQueuedControlFrames(), 1, 1_000_000),
                    s.duration("idle-timeout", d.idleTimeout()));
        } catch (IllegalArgumentException e) {
            throw s.error(e.getMessage());
        }
    }
}
