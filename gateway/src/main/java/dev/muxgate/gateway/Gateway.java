package dev.muxgate.gateway;

import dev.muxgate.gateway.frontdoor.ConnectionCaps;
import dev.muxgate.gateway.frontdoor.FrontDoorInitializer;
import dev.muxgate.gateway.frontdoor.PlainListenerCaps;
import dev.muxgate.gateway.admin.AdminServer;
import dev.muxgate.gateway.admin.GatewayMetrics;
import dev.muxgate.gateway.admin.LiveSessions;
import dev.muxgate.gateway.frontdoor.SessionContext;
import dev.muxgate.gateway.session.SessionLog;
import dev.muxgate.gateway.session.SessionNumbers;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.gateway.tls.TlsFrontEnd;
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

    private final GatewayConfig config;
    private final Transport transport;
    private final EventLoopGroup loops;
    private final ProxyCore core;
    private final TlsFrontEnd tls;
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
        ProxyCore startedCore = null;
        TlsFrontEnd startedTls = null;
        SessionLog startedSessionLog = null;
        AdminServer startedAdmin = null;
        SessionAccounting startedAccounting = null;
        GatewayMetrics startedMetrics = null;
        try {
            startedMetrics = new GatewayMetrics();
            // One set of caps for both listeners: one budget of connections, in all and per client.
            ConnectionCaps caps = new ConnectionCaps(config.connections());
            startedCore = ProxyCore.builder(config.core()).transport(transport).workers(loops)
                    .originLatency(startedMetrics::recordOrigin)
                    .acceptGuard(new PlainListenerCaps(caps, startedMetrics)).start();
            startedMetrics.bindCore(startedCore.stats());
            startedSessionLog = SessionLog.open(config.sessionLog());
            startedMetrics.bindLog("access", startedCore.accessLog(), AccessLog::writeErrors, AccessLog::droppedLines);
            startedMetrics.bindLog("session", startedSessionLog, SessionLog::writeErrors, SessionLog::droppedLines);
            startedMetrics.bindJvmMetrics();
            startedAccounting = new SessionAccounting(startedMetrics, live, startedSessionLog, sessionEnded);
            Channel listener = null;
            if (config.tls().enabled()) {
                startedTls = TlsFrontEnd.open(servedProtocolsOnly(config.tls()), Clock.systemUTC());
                H2SessionInitializer h2 = new H2SessionInitializer(config.h2(), startedCore.connector(), config.shutdownGrace());
                SpdySessionInitializer spdy = new SpdySessionInitializer(config.spdy(), startedCore.connector(),
                        config.shutdownGrace());
                SessionNumbers numbers = new SessionNumbers(config.nodeId());
                listener = new ServerBootstrap()
                        .group(loops)
                        .channel(transport.serverChannelClass())
                        .option(ChannelOption.SO_BACKLOG, 4096)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new FrontDoorInitializer(numbers, startedTls, h2, spdy, startedCore.connector(),
                                startedCore.listenAddress(), startedAccounting, liveSessions, caps))
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
    }
}
