package dev.muxgate.gateway.admin;

import dev.muxgate.gateway.frontdoor.ConnectionCaps;
import dev.muxgate.httpcore.proxy.CoreStats;
import dev.muxgate.httpcore.balancer.ProxyHeaderRefusal;
import dev.muxgate.httpcore.balancer.ProxyProtocolStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * The gateway's metrics: one Prometheus registry of its own (no global registry, so several
 * gateways run in one JVM) and the meters the front door, the sessions and the core report to.
 * Every reporting method is cheap and thread-safe, for event loops: meters are created once here,
 * per protocol of a small fixed set and per reason of a fixed enum, and never looked up per call.
 * Scraped as Prometheus text by the {@link AdminServer}.
 */
public final class GatewayMetrics {

    /** The {@code protocol} tag values; any other negotiated name (or none) counts as {@code other}. */
    public static final List<String> PROTOCOLS = List.of("h2", "spdy/3.1", "spdy/3", "http/1.1", "other");

    /** Origin outcomes are named by the core; past this many distinct names they count as {@code other}. */
    static final int MAX_ORIGIN_OUTCOMES = 16;

    private static final double[] PERCENTILES = {0.5, 0.9, 0.99};
    private static final int OTHER = 4;

    private final PrometheusMeterRegistry registry;
    private final ProtocolMeters[] byProtocol = new ProtocolMeters[PROTOCOLS.size()];
    private final Counter[] handshakeFailures = new Counter[HandshakeFailure.values().length];
    private final Counter[] protocolErrors = new Counter[ProtocolError.values().length];
    private final Counter fullHandshakes;
    private final Counter resumedHandshakes;
    private final Counter[] connectionsRefused = new Counter[ConnectionCaps.Refusal.values().length];
    private final ConcurrentMap<String, Timer> originByOutcome = new ConcurrentHashMap<>();
    private final Counter reloadsApplied;
    private final Counter reloadsFailed;
    private boolean coreBound;

    /** Metrics of the front door and sessions only; see {@link #bindCore}. */
    public GatewayMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        for (int i = 0; i < byProtocol.length; i++) {
            byProtocol[i] = new ProtocolMeters(registry, PROTOCOLS.get(i));
        }
        for (HandshakeFailure reason : HandshakeFailure.values()) {
            handshakeFailures[reason.ordinal()] = Counter.builder("muxgate.tls.handshake.failures")
                    .description("TLS handshakes that failed, by reason")
                    .tag("reason", reason.tag())
                    .register(registry);
        }
        fullHandshakes = Counter.builder("muxgate.tls.handshakes").description("Completed TLS handshakes, full or resumed")
                .tag("resumed", "false").register(registry);
        resumedHandshakes = Counter.builder("muxgate.tls.handshakes").description("Completed TLS handshakes, full or resumed")
                .tag("resumed", "true").register(registry);
        for (ConnectionCaps.Refusal reason : ConnectionCaps.Refusal.values()) {
            connectionsRefused[reason.ordinal()] = Counter.builder("muxgate.connections.refused")
                    .description("Connections (TLS or plain listener) closed as they were accepted, past a connection cap")
                    .tag("reason", reason.tag())
                    .register(registry);
        }
        reloadsApplied = Counter.builder("muxgate.config.reloads").description("Configuration reloads, by result")
                .tag("result", "applied").register(registry);
        reloadsFailed = Counter.builder("muxgate.config.reloads").description("Configuration reloads, by result")
                .tag("result", "failed").register(registry);
        for (ProtocolError kind : ProtocolError.values()) {
            protocolErrors[kind.ordinal()] = Counter.builder("muxgate.protocol.errors")
                    .description("Client protocol errors, by kind")
                    .tag("kind", kind.tag())
                    .register(registry);
        }
    }

    /** Metrics including the live counters of the proxy core. */
    public GatewayMetrics(CoreStats core) {
        this();
        bindCore(core);
    }

    /**
     * Adds functional meters reading the core's live counters at scrape time: open connections (all,
     * and plugin connections), active transactions, and transactions so far. Once per instance.
     */
    public synchronized void bindCore(CoreStats core) {
        if (coreBound) {
            throw new IllegalStateException("a core is bound already");
        }
        coreBound = true;
        Gauge.builder("muxgate.core.connections.open", core, CoreStats::openConnections)
                .description("Connections open in the proxy core, network and plugin")
                .strongReference(true)
                .register(registry);
        Gauge.builder("muxgate.core.plugin.connections.open", core, CoreStats::openPluginConnections)
                .description("Plugin connections open in the proxy core (one per client stream)")
                .strongReference(true)
                .register(registry);
        Gauge.builder("muxgate.core.transactions.active", core, CoreStats::activeTransactions)
                .description("Transactions in progress in the proxy core")
                .strongReference(true)
                .register(registry);
        FunctionCounter.builder("muxgate.core.transactions", core, CoreStats::transactions)
                .description("Transactions the proxy core has started")
                .register(registry);
    }

    /**
     * Adds the PROXY protocol counters of one listener ({@code tls} or {@code http}), read at scrape
     * time: headers accepted by version, connections without one where it is optional, and
     * connections refused by reason. Once per listener.
     */
    public void bindProxyProtocol(String listener, ProxyProtocolStats stats) {
        for (String version : List.of("v1", "v2")) {
            FunctionCounter.builder("muxgate.proxy.protocol.headers", stats, s -> s.acceptedCount(version))
                    .description("PROXY protocol headers accepted from trusted balancers")
                    .tags("listener", listener, "version", version)
                    .register(registry);
        }
        FunctionCounter.builder("muxgate.proxy.protocol.absent", stats, ProxyProtocolStats::absentCount)
                .description("Connections without a PROXY protocol header where it is optional")
                .tag("listener", listener)
                .register(registry);
        for (ProxyHeaderRefusal reason : ProxyHeaderRefusal.values()) {
            FunctionCounter.builder("muxgate.proxy.protocol.refused", stats, s -> s.refusedCount(reason))
                    .description("Connections closed before TLS or HTTP for their PROXY protocol header, by reason")
                    .tags("listener", listener, "reason", reason.tag())
                    .register(registry);
        }
    }

    /**
     * Adds the write failures and dropped lines of one log ({@code access}, {@code session}),
     * read at scrape time: a full disk or an unwritable path shows here while the gateway keeps
     * serving. The registry holds {@code source} only weakly, so it must be an object the gateway
     * keeps (the log itself), never a method reference made for this call.
     */
    public <T> void bindLog(String log, T source, ToLongFunction<T> writeErrors, ToLongFunction<T> droppedLines) {
        FunctionCounter.builder("muxgate.log.write.errors", source, s -> writeErrors.applyAsLong(s))
                .description("Log lines that could not be written and failed log file operations")
                .tag("log", log)
                .register(registry);
        FunctionCounter.builder("muxgate.log.dropped.lines", source, s -> droppedLines.applyAsLong(s))
                .description("Log lines dropped because the writer's queue was full or the log closed")
                .tag("log", log)
                .register(registry);
    }

    /** Adds the JVM's heap and non-heap pools, CPU and uptime (all cheap to scrape). */
    /**
     * Counts the lines a log's syslog delivery could not send ({@code log} = access or session):
     * a dead or slow syslog server shows here, while the files keep every line.
     */
    public void bindSyslogDrops(String log, dev.muxgate.httpcore.log.SyslogSender sender) {
        // The sender itself as the state: the log holds it, and micrometer only holds it weakly.
        FunctionCounter.builder("muxgate.log.syslog.dropped", sender, dev.muxgate.httpcore.log.SyslogSender::dropped)
                .description("Log lines not delivered to syslog (queue full or server unreachable); the file has them")
                .tag("log", log)
                .register(registry);
    }

    public void bindJvmMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** A client session negotiated {@code protocol}: counted, and active until {@link #sessionEnded}. */
    public void sessionOpened(String protocol) {
        meters(protocol).sessionOpened();
    }

    /** A session counted by {@link #sessionOpened} with the same protocol has ended. */
    public void sessionEnded(String protocol) {
        meters(protocol).sessionEnded();
    }

    /** A stream opened: counted, and active until {@link #streamClosed}. */
    public void streamOpened(String protocol) {
        meters(protocol).streamOpened();
    }

    /** A stream counted by {@link #streamOpened} with the same protocol closed after {@code durationNanos}. */
    public void streamClosed(String protocol, long durationNanos) {
        meters(protocol).streamClosed(durationNanos);
    }

    /** A TLS handshake completed; {@code resumed} when it resumed an earlier session. */
    public void handshakeCompleted(boolean resumed) {
        (resumed ? resumedHandshakes : fullHandshakes).increment();
    }

    /** A TLS handshake failed for {@code reason}. */
    public void handshakeFailed(HandshakeFailure reason) {
        handshakeFailures[reason.ordinal()].increment();
    }

    /** A TLS handshake failed with {@code cause} (null: the connection closed first); see {@link HandshakeFailure#of}. */
    public void handshakeFailed(Throwable cause) {
        handshakeFailed(HandshakeFailure.of(cause));
    }

    /** A configuration reload was applied ({@code true}) or refused, the running one kept ({@code false}). */
    public void configReloaded(boolean applied) {
        (applied ? reloadsApplied : reloadsFailed).increment();
    }

    /** A connection was refused at accept for {@code reason}. */
    public void connectionRefused(ConnectionCaps.Refusal reason) {
        connectionsRefused[reason.ordinal()].increment();
    }

    /** A client protocol error of {@code kind}. */
    public void protocolError(ProtocolError kind) {
        protocolErrors[kind.ordinal()].increment();
    }

    /**
     * One origin exchange took {@code nanos} and ended with {@code outcome} (a short name chosen by
     * the core, such as {@code ok}, {@code connect_error}, {@code timeout}); at most
     * {@value #MAX_ORIGIN_OUTCOMES} distinct names are kept apart, the rest count as {@code other}.
     */
    public void recordOrigin(long nanos, String outcome) {
        originTimer(outcome == null || outcome.isEmpty() ? "unknown" : outcome)
                .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }

    /** The registry, to bind more meters to; its {@link MeterRegistry#get} is also how tests read values. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Everything, in the Prometheus text format 0.0.4. */
    public String scrape() {
        return registry.scrape();
    }

    /** Writes everything to {@code out} in the Prometheus text format 0.0.4 (UTF-8). */
    public void scrape(OutputStream out) throws IOException {
        registry.scrape(out);
    }

    /** The {@code protocol} tag for a negotiated protocol name. */
    public static String protocolTag(String protocol) {
        return PROTOCOLS.get(protocolIndex(protocol));
    }

    private ProtocolMeters meters(String protocol) {
        return byProtocol[protocolIndex(protocol)];
    }

    private static int protocolIndex(String protocol) {
        if (protocol == null) {
            return OTHER;
        }
        switch (protocol) {
            case "h2":
                return 0;
            case "spdy/3.1":
                return 1;
            case "spdy/3":
                return 2;
            case "http/1.1":
                return 3;
            default:
                return OTHER;
        }
    }

    private Timer originTimer(String outcome) {
        Timer timer = originByOutcome.get(outcome);
        if (timer != null) {
            return timer;
        }
        // The bound is soft under races (a few more names may slip in), which is fine for its purpose.
        String kept = originByOutcome.size() < MAX_ORIGIN_OUTCOMES ? outcome : "other";
        return originByOutcome.computeIfAbsent(kept, name -> Timer.builder("muxgate.origin.latency")
                .description("Time from sending a request to an origin to the end of its response, by outcome")
                .tag("outcome", name)
                .publishPercentiles(PERCENTILES)
                .distributionStatisticExpiry(Duration.ofMinutes(2))
                .register(registry));
    }

    /** The meters of one protocol, created once. */
    private static final class ProtocolMeters {
        final Counter sessionsOpened;
        final Counter sessionsEnded;
        final LongAdder activeSessions = new LongAdder();
        final Counter streamsOpened;
        final LongAdder activeStreams = new LongAdder();
        final Timer streamDuration;

        ProtocolMeters(MeterRegistry registry, String protocol) {
            sessionsOpened = Counter.builder("muxgate.sessions.opened")
                    .description("Client sessions that negotiated a protocol, by protocol")
                    .tag("protocol", protocol)
                    .register(registry);
            sessionsEnded = Counter.builder("muxgate.sessions.ended")
                    .description("Client sessions ended, by protocol")
                    .tag("protocol", protocol)
                    .register(registry);
            Gauge.builder("muxgate.sessions.active", activeSessions, LongAdder::sum)
                    .description("Client sessions open now, by protocol")
                    .tag("protocol", protocol)
                    .strongReference(true)
                    .register(registry);
            streamsOpened = Counter.builder("muxgate.streams.opened")
                    .description("Streams opened (each one plugin connection into the core), by protocol")
                    .tag("protocol", protocol)
                    .register(registry);
            Gauge.builder("muxgate.streams.active", activeStreams, LongAdder::sum)
                    .description("Streams open now, by protocol")
                    .tag("protocol", protocol)
                    .strongReference(true)
                    .register(registry);
            streamDuration = Timer.builder("muxgate.stream.duration")
                    .description("Stream lifetime from open to close, by protocol")
                    .tag("protocol", protocol)
                    .publishPercentiles(PERCENTILES)
                    .distributionStatisticExpiry(Duration.ofMinutes(2))
                    .register(registry);
        }

        void sessionOpened() {
            sessionsOpened.increment();
            activeSessions.increment();
        }

        void sessionEnded() {
            sessionsEnded.increment();
            activeSessions.decrement();
        }

        void streamOpened() {
            streamsOpened.increment();
            activeStreams.increment();
        }

        void streamClosed(long durationNanos) {
            activeStreams.decrement();
            streamDuration.record(Math.max(0, durationNanos), TimeUnit.NANOSECONDS);
        }
    }
}
