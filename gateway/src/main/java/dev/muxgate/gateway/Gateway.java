package dev.muxgate.gateway;

import dev.muxgate.gateway.frontdoor.ConnectionCaps;
import dev.muxgate.gateway.frontdoor.FrontDoorInitializer;
import dev.muxgate.gateway.frontdoor.FrontDoorSwitch;
import dev.muxgate.gateway.frontdoor.PlainListenerCaps;
import dev.muxgate.gateway.admin.AdminServer;
import dev.muxgate.gateway.admin.GatewayMetrics;
import dev.muxgate.gateway.admin.LiveSessions;
import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.gateway.session.SessionLog;
import dev.muxgate.gateway.session.SessionNumbers;
import dev.muxgate.gateway.tls.OriginTls;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.gateway.tls.TlsFrontEnd;
import dev.muxgate.httpcore.balancer.ProxyProtocolStats;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.origin.Transport;
import dev.muxgate.httpcore.proxy.ProxyCore;
import dev.muxgate.spdy.h2.H2SessionInitializer;
import dev.muxgate.spdy.spdy.SpdySessionInitializer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running gateway: one group of event loops shared by the TLS front end and the proxy core,
 * so every stream's plugin connection and its origin connections live on the loop of the client
 * session that opened them. Wired from a {@link GatewayConfig}, no globals: tests run several
 * gateways in one JVM.
 */
public final class Gateway implements AutoCloseable {

    private volatile GatewayConfig config;
    private final Transport transport;
    private final EventLoopGroup loops;
    private final ProxyCore core;
    private volatile TlsFrontEnd tls;
    /** Front ends a reload replaced, closed once their handshakes can no longer be running. */
    private final List<TlsFrontEnd> retiredTls = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ConnectionCaps caps;
    private final SessionNumbers numbers;
    /** Counts PROXY headers on the TLS listener; one for the gateway's life, reloads included. */
    private final ProxyProtocolStats tlsProxyProtocol = new ProxyProtocolStats();
    private FrontDoorSwitch frontDoor;
    private final Channel tlsListener;
    private final SessionLog sessionLog;
    private final GatewayMetrics metrics;
    private final LiveSessions live = new LiveSessions();
    private final AdminServer admin;
    private final SessionAccounting accounting;
    private final ChannelGroup liveSessions = new DefaultChannelGroup("muxgate-sessions", GlobalEventExecutor.INSTANCE);

    private Gateway(GatewayConfig config, Consumer<SessionContext> sessionEnded) throws InterruptedException {
        this.config = config;
        this.transport = Transport.detect();
        this.loops = transport.newGroup(Runtime.getRuntime().availableProcessors(), "muxgate");
        this.caps = new ConnectionCaps(config.connections());
        this.numbers = new SessionNumbers(config.nodeId());
        ProxyCore startedCore = null;
        TlsFrontEnd startedTls = null;
        SessionLog startedSessionLog = null;
        AdminServer startedAdmin = null;
        SessionAccounting startedAccounting = null;
        GatewayMetrics startedMetrics = null;
        try {
            startedMetrics = new GatewayMetrics();
            // One set of caps for both listeners (the field a reload updates): one budget of
            // connections, in all and per client.
            ProxyCore.Builder coreBuilder = ProxyCore.builder(config.core()).transport(transport).workers(loops)
                    .originLatency(startedMetrics::recordOrigin)
                    .acceptGuard(new PlainListenerCaps(caps, startedMetrics));
            // The core asks for a context when a rule or origins.tls needs one, at start and on reload.
            coreBuilder.originTlsFactory(OriginTls::context);
            startedCore = coreBuilder.start();
            startedMetrics.bindCore(startedCore.stats());
            startedMetrics.bindProxyProtocol("http", startedCore.listenerProxyProtocol());
            startedSessionLog = SessionLog.open(config.sessionLog());
            startedMetrics.bindLog("access", startedCore.accessLog(), AccessLog::writeErrors, AccessLog::droppedLines);
            startedMetrics.bindLog("session", startedSessionLog, SessionLog::writeErrors, SessionLog::droppedLines);
            startedMetrics.bindJvmMetrics();
            if (startedCore.accessLogSyslog() != null) {
                startedMetrics.bindSyslogDrops("access", startedCore.accessLogSyslog());
            }
            if (startedSessionLog.syslog() != null) {
                startedMetrics.bindSyslogDrops("session", startedSessionLog.syslog());
            }
            startedAccounting = new SessionAccounting(startedMetrics, live, startedSessionLog, sessionEnded);
            Channel listener = null;
            if (config.tls().enabled()) {
                startedTls = TlsFrontEnd.open(servedProtocolsOnly(config.tls()), Clock.systemUTC());
                startedMetrics.bindProxyProtocol("tls", tlsProxyProtocol);
                frontDoor = new FrontDoorSwitch(newFrontDoor(config, startedTls, startedCore, startedAccounting));
                listener = new ServerBootstrap()
                        .group(loops)
                        .channel(transport.serverChannelClass())
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(frontDoor)
                        .bind(config.tls().host(), config.tls().port())
                        .sync()
                        .channel();
            }
            if (config.admin().enabled()) {
                startedAdmin = AdminServer.start(config.admin(), loops, transport, startedMetrics, live);
            }
            this.core = startedCore;
            this.admin = startedAdmin;
            this.metrics = startedMetrics;
            this.accounting = startedAccounting;
            this.tls = startedTls;
            this.tlsListener = listener;
            this.sessionLog = startedSessionLog;
        } catch (RuntimeException | InterruptedException e) {
            if (startedAdmin != null) {
                startedAdmin.close();
            }
            if (startedTls != null) {
                startedTls.close();
            }
            if (startedSessionLog != null) {
                startedSessionLog.close();
            }
            if (startedCore != null) {
                startedCore.close();
            }
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** The front door of one configuration: its TLS front end and its session limits. */
    private FrontDoorInitializer newFrontDoor(GatewayConfig c, TlsFrontEnd frontEnd, ProxyCore proxy,
                                              SessionAccounting observer) {
        H2SessionInitializer h2 = new H2SessionInitializer(c.h2(), proxy.connector(), c.shutdownGrace());
        SpdySessionInitializer spdy = new SpdySessionInitializer(c.spdy(), proxy.connector(), c.shutdownGrace());
        return new FrontDoorInitializer(numbers, frontEnd, h2, spdy, proxy.connector(), proxy.listenAddress(), observer,
                liveSessions, caps, tlsProxyProtocol);
    }

    /**
     * Takes a reloaded configuration. It reads the certificates again (a replaced file is picked
     * up) and builds the new front door before changing anything, so a failure (a bad certificate)
     * leaves the running configuration whole. Then new connections get the new certificates,
     * limits, remap, origin settings and log formats; open sessions and their streams keep what they
     * started with. Settings a reload cannot change stay as they run, and each is named in the
     * notes returned. Blocking file I/O: call it from a thread of its own, one at a time.
     *
     * @throws RuntimeException with a sentence for the operator when the new configuration cannot
     *                          be used (nothing changed then)
     */
    public synchronized List<String> reload(GatewayConfig wanted) {
        List<String> notes = new ArrayList<>();
        GatewayConfig running = config;
        GatewayConfig next = GatewayReload.applicable(running, wanted, notes);
        TlsFrontEnd nextTls = tls == null ? null : TlsFrontEnd.open(servedProtocolsOnly(next.tls()), Clock.systemUTC());
        try {
            notes.addAll(core.reconfigure(next.core()));
        } catch (RuntimeException e) {
            if (nextTls != null) {
                nextTls.close();
            }
            throw e;
        }
        caps.limits(next.connections());
        sessionLog.syntax(next.sessionLog().syntax());
        if (nextTls != null) {
            nextTls.ticketKeys().continueFrom(tls.ticketKeys());
            frontDoor.swap(newFrontDoor(next, nextTls, core, accounting));
            TlsFrontEnd old = tls;
            tls = nextTls;
            retiredTls.add(old);
            // A connection accepted just before the swap may still pick its certificate from the
            // old contexts; none can after its handshake time-out. Established sessions hold theirs.
            long grace = running.tls().handshakeTimeout().toMillis() + 1000;
            loops.next().schedule(() -> {
                if (retiredTls.remove(old)) {
                    old.close();
                }
            }, grace, TimeUnit.MILLISECONDS);
            notes.addAll(nextTls.describe());
        }
        config = next.withCore(core.config());
        return notes;
    }

    /** The configuration new connections get. */
    public GatewayConfig config() {
        return config;
    }

    /** Closes and opens again the access and session log files, after logrotate moved them. */
    public void reopenLogs() {
        core.reopenAccessLog();
        sessionLog.reopen();
    }

    /** Protocols this build serves. */
    static final List<String> SERVED_PROTOCOLS = List.of("h2", SpdySessionInitializer.SPDY_3_1,
            SpdySessionInitializer.SPDY_3, "http/1.1");

    /** Never advertise a protocol that would be refused after the handshake. */
    private static TlsConfig servedProtocolsOnly(TlsConfig tls) {
        List<String> served = tls.protocols().stream().filter(SERVED_PROTOCOLS::contains).toList();
        if (served.isEmpty()) {
            throw new IllegalArgumentException("tls.protocols: none of " + tls.protocols()
                    + " is served by this build (it serves " + SERVED_PROTOCOLS + ")");
        }
        return tls.withProtocols(served);
    }

    public static Gateway start(GatewayConfig config) throws InterruptedException {
        return new Gateway(config, session -> { });
    }

    public static Gateway start(GatewayConfig config, Consumer<SessionContext> sessionEnded) throws InterruptedException {
        return new Gateway(config, sessionEnded);
    }

    public ProxyCore core() {
        return core;
    }

    /** The TLS listener's bound address, or null when TLS is off. */
    public InetSocketAddress tlsAddress() {
        return tlsListener == null ? null : (InetSocketAddress) tlsListener.localAddress();
    }

    public long malformedRequests() {
        return accounting.malformedRequests();
    }

    public long endedSessions() {
        return accounting.endedSessions();
    }

    /** The TLS front end (its certificates and ticket keys), or null when TLS is off. */
    public TlsFrontEnd tlsFrontEnd() {
        return tls;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The admin listener's address, or null when it is off. */
    public InetSocketAddress adminAddress() {
        return admin == null ? null : admin.address();
    }

    /**
     * Graceful end of the client sessions: an HTTP/2 or SPDY session gets GOAWAY and keeps its accepted
     * streams until they finish or the grace runs out (Netty's graceful close); HTTP/1.1 sessions,
     * which have no GOAWAY, get the grace to finish their exchange. Whatever is left is closed.
     */
    private void drainSessions() {
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Channel session : liveSessions) {
            if (session.pipeline().get("h2") != null
                    || session.pipeline().get(SpdySessionInitializer.SESSION_HANDLER) != null) {
                session.close();
            }
        }
        long left;
        while (!liveSessions.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
            liveSessions.newCloseFuture().awaitUninterruptibly(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 100));
            if (core.stats().activeTransactions() == 0) {
                break;
            }
        }
        liveSessions.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    List<String> startupReport() {
        List<String> lines = new ArrayList<>();
        lines.add("config " + config.source());
        lines.add("transport " + transport.name() + ", " + Runtime.getRuntime().availableProcessors() + " event loops");
        if (tls != null) {
            lines.addAll(tls.describe());
            InetSocketAddress a = tlsAddress();
            lines.add("TLS listener on " + a.getHostString() + ':' + a.getPort() + " offering "
                    + String.join(", ", tls.config().protocols()));
        } else {
            lines.add("TLS listener disabled");
        }
        if (core.listening()) {
            lines.add("core HTTP listener on " + core.listenAddress().getHostString() + ':'
                    + core.listenAddress().getPort());
        } else {
            lines.add("core HTTP listener disabled (plugin connections only)");
        }
        config.core().remap().forEach(rule -> lines.add(
                "remap " + rule.host() + rule.pathPrefix() + " -> " + rule.target()));
        lines.add(config.core().accessLog().enabled()
                ? "access log " + config.core().accessLog().path() : "access log off");
        lines.add(config.sessionLog().enabled() ? "session log " + config.sessionLog().path() : "session log off");
        if (admin != null) {
            lines.add("admin on " + admin.address().getHostString() + ':' + admin.address().getPort()
                    + " (/metrics, /health, /sessions)");
        }
        lines.add("ready");
        return lines;
    }

    /**
     * Stops accepting, lets the loops finish what they hold, then closes the core, whose access
     * log closes last so every transaction that ended has its line.
     */
    @Override
    public void close() {
        if (admin != null) {
            // Load balancers polling /health see the drain from its first moment.
            admin.setDraining(true);
        }
        if (tlsListener != null) {
            tlsListener.close().awaitUninterruptibly();
        }
        core.stopAccepting();
        drainSessions();
        if (admin != null) {
            admin.close();
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        // Every session's end has run on its loop by now: no session line can come after this.
        sessionLog.close();
        core.close();
        if (tls != null) {
            tls.close();
        }
        retiredTls.forEach(TlsFrontEnd::close);
    }
}
