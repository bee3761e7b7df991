package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.balancer.ProxyHeaderGate;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolStats;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.OriginTlsConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.httpcore.connect.InProcessHttpConnector;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.AccessLogs;
import dev.muxgate.httpcore.log.AsyncAccessLogWriter;
import dev.muxgate.httpcore.origin.DemoOrigin;
import dev.muxgate.httpcore.origin.OriginPools;
import dev.muxgate.httpcore.origin.OriginTlsContexts;
import dev.muxgate.httpcore.origin.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * One HTTP/1.1 proxy core, assembled: its event loops, its plain listener (when enabled), its
 * plugin-connection connector, origin pools, demo origin and access log. Built by {@link #builder},
 * stopped by {@link #close()}, which loses no log line.
 */
public final class ProxyCore implements AutoCloseable {

    private volatile CoreConfig config;
    private final Transport transport;
    private final EventLoopGroup workers;
    private final boolean ownsWorkers;
    private final AccessLog accessLog;
    private final DemoOrigin demo;
    private OriginPools origins;
    /** The client context the current pools use for https origins; null when none is needed. */
    private SslContext originTlsContext;
    private final Function<OriginTlsConfig, SslContext> originTlsFactory;
    private final CoreStats stats = new CoreStats();
    private final ProxyProtocolStats listenerProxyProtocol = new ProxyProtocolStats();
    private final List<OriginPools> retiredPools = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CoreChannelInitializer initializer;
    private final HttpConnector connector;
    private final Channel listener;
    private final InetSocketAddress listenAddress;

    private ProxyCore(Builder b) throws InterruptedException {
        this.config = b.config;
        this.transport = b.transport != null ? b.transport : Transport.detect();
        this.ownsWorkers = b.workers == null;
        this.workers = ownsWorkers ? transport.newGroup(b.threads, "muxgate-core") : b.workers;
        this.accessLog = b.accessLog != null ? b.accessLog : AccessLogs.open(config.accessLog());
        this.demo = new DemoOrigin();
        this.originTlsFactory = b.originTlsFactory;
        this.originTlsContext = needsOriginTls(config) ? newOriginTls(config.origins().tls()) : null;
        this.origins = new OriginPools(config.origins(), demo, originTlsContext);
        CoreContext context = new CoreContext(config, origins, accessLog, stats, b.originLatency);
        this.initializer = new CoreChannelInitializer(context);
        InetSocketAddress nominal = new InetSocketAddress(config.listener().host(), config.listener().port());
        Channel bound = null;
        AcceptGuard acceptGuard = b.acceptGuard;
        Consumer<Channel> admitted = ch -> {
            if (acceptGuard.admit(ch)) {
                initializer.accept(ch);
            } else {
                ch.close();
            }
        };
        if (config.listener().enabled()) {
            try {
                bound = new ServerBootstrap()
                        .group(workers)
                        .channel(transport.serverChannelClass())
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ProxyProtocolConfig proxyProtocol = config.listener().proxyProtocol();
                                if (proxyProtocol.enabled()) {
                                    // The header must be in before the request's own header timeout;
                                    // the caps count the client it names, so they come after it.
                                    ch.pipeline().addLast(ProxyHeaderGate.NAME, new ProxyHeaderGate(proxyProtocol,
                                            listenerProxyProtocol, config.limits().headerTimeout().toNanos(), admitted));
                                } else {
                                    admitted.accept(ch);
                                }
                            }
                        })
                        .bind(nominal)
                        .sync()
                        .channel();
            } catch (RuntimeException | InterruptedException e) {
                shutdownResources();
                throw e;
            }
        }
        this.listener = bound;
        this.listenAddress = bound != null ? (InetSocketAddress) bound.localAddress() : nominal;
        this.connector = new InProcessHttpConnector(listenAddress, initializer, workers);
    }

    /**
     * A remap rule needs TLS, or origin TLS files are configured (read even if no rule uses them
     * yet, so a bad file is refused at start or reload rather than at a later request).
     */
    static boolean needsOriginTls(CoreConfig config) {
        OriginTlsConfig tls = config.origins().tls();
        return tls.caFile() != null || tls.hasClientCertificate()
                || config.remap().stream().anyMatch(RemapRule::targetsTls);
    }

    private SslContext newOriginTls(OriginTlsConfig tls) {
        try {
            return originTlsFactory.apply(tls);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot set up TLS to origins: " + e.getMessage(), e);
        }
    }

    private static SslContext fromConfig(OriginTlsConfig tls) {
        try {
            return OriginTlsContexts.fromConfig(tls);
        } catch (SSLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static Builder builder(CoreConfig config) {
        return new Builder(config);
    }

    /** Opens plugin connections into this core. */
    public HttpConnector connector() {
        return connector;
    }

    /** The plain listener's bound address (the nominal one when the listener is disabled). */
    public InetSocketAddress listenAddress() {
        return listenAddress;
    }

    public boolean listening() {
        return listener != null;
    }

    /** The plain listener's PROXY protocol outcomes (all zero while it is off). */
    public ProxyProtocolStats listenerProxyProtocol() {
        return listenerProxyProtocol;
    }

    /** The access log the core writes to (for its drop and write-error counts). */
    public AccessLog accessLog() {
        return accessLog;
    }

    public CoreStats stats() {
        return stats;
    }

    public EventLoopGroup workers() {
        return workers;
    }

    public Transport transport() {
        return transport;
    }

    /** The configuration new connections get (the latest reload's). */
    public CoreConfig config() {
        return config;
    }

    /**
     * Takes a reloaded configuration: connections accepted from now on use it, connections already
     * open keep the one they started with until they close (their transactions never see two). Origin
     * pools are replaced only when the origin settings changed; the old ones close once the last
     * connection that used them has. What a reload cannot change is kept and named in the notes
     * returned (see {@link CoreReload}). Call off the event loops, one reload at a time.
     *
     * @throws IllegalArgumentException if the new access-log format is not valid (nothing changes)
     */
    public synchronized List<String> reconfigure(CoreConfig wanted) {
        Objects.requireNonNull(wanted, "wanted");
        List<String> notes = new ArrayList<>();
        CoreConfig next = CoreReload.applicable(config, wanted, notes);
        AccessLog nextLog = accessLog instanceof AsyncAccessLogWriter writer
                ? writer.withFormat(AccessLogs.formatter(next.accessLog()))
                : accessLog;
        OriginPools oldPools = origins;
        // https origins need a context: the running one while origins.tls stays as it is, a new one
        // (files read again) when it changed or when the first https rule arrives.
        SslContext nextTls = !needsOriginTls(next) ? null
                : originTlsContext != null && next.origins().tls().equals(config.origins().tls()) ? originTlsContext
                : newOriginTls(next.origins().tls());
        OriginPools nextPools = next.origins().equals(config.origins()) && nextTls == originTlsContext ? oldPools
                : new OriginPools(next.origins(), demo, nextTls);
        CoreContext previous = initializer.current();
        CoreContext replaced = initializer.swap(previous.next(next, nextPools, nextLog));
        origins = nextPools;
        originTlsContext = nextTls;
        config = next;
        // A pool replaced by this reload closes once no connection of the old generation is left.
        if (nextPools != oldPools) {
            retiredPools.add(oldPools);
            replaced.retire(() -> {
                oldPools.close();
                retiredPools.remove(oldPools);
            });
        } else {
            replaced.retire(() -> { });
        }
        return notes;
    }

    /**
     * Closes the access-log file and opens the same path again, after logrotate moved it away:
     * lines before go to the moved file, lines after to the new one. Returns at once.
     */
    public void reopenAccessLog() {
        if (accessLog instanceof AsyncAccessLogWriter writer) {
            writer.reopen();
        }
    }

    /** The access log's syslog delivery, or null when there is none. */
    public dev.muxgate.httpcore.log.SyslogSender accessLogSyslog() {
        return accessLog instanceof AsyncAccessLogWriter writer ? writer.syslog() : null;
    }

    /** Closes the plain listener; connections already open go on. */
    public void stopAccepting() {
        if (listener != null) {
            listener.close().awaitUninterruptibly();
        }
    }

    /**
     * Stops accepting, lets the loops finish what they are doing, then flushes the access log: the
     * log closes last so every transaction that ended has its line.
     */
    @Override
    public void close() {
        stopAccepting();
        shutdownResources();
    }

    private void shutdownResources() {
        origins.close();
        // Pools of older generations still draining close at once: the loops are stopping anyway.
        retiredPools.forEach(OriginPools::close);
        if (ownsWorkers) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        accessLog.close();
        demo.close();
    }

    /** Assembles a core; everything but the config has a default. */
    public static final class Builder {
        private volatile CoreConfig config;
        private Transport transport;
        private EventLoopGroup workers;
        private int threads = Runtime.getRuntime().availableProcessors();
        private AccessLog accessLog;
        private OriginLatencyRecorder originLatency = OriginLatencyRecorder.NONE;
        private Function<OriginTlsConfig, SslContext> originTlsFactory = ProxyCore::fromConfig;
        private AcceptGuard acceptGuard = AcceptGuard.ADMIT_ALL;

        private Builder(CoreConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        public Builder transport(Transport t) { this.transport = t; return this; }

        /** Loops owned by the caller (the gateway shares its own); the core will not shut them down. */
        public Builder workers(EventLoopGroup group) { this.workers = group; return this; }

        public Builder threads(int n) {
            if (n <= 0) {
                throw new IllegalArgumentException("threads must be positive");
            }
            this.threads = n;
            return this;
        }

        /** An access log of the caller's; by default the one the config describes. */
        public Builder accessLog(AccessLog log) { this.accessLog = log; return this; }

        /** Where each origin's time to answer goes (metrics); nowhere by default. */
        public Builder originLatency(OriginLatencyRecorder recorder) {
            this.originLatency = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /**
         * The client TLS context for {@code https://} origins (the gateway builds it with its PEM
         * reader); by default one is built from {@code origins.tls} when a remap rule needs it.
         */
        public Builder originTls(SslContext context) {
            Objects.requireNonNull(context, "context");
            this.originTlsFactory = tls -> context;
            return this;
        }

        /**
         * How a client TLS context for {@code https://} origins is made from {@code origins.tls}, at
         * start and again on a reload that changes it (the gateway reads the files with its PEM
         * reader); by default {@link OriginTlsContexts#fromConfig}.
         */
        public Builder originTlsFactory(Function<OriginTlsConfig, SslContext> factory) {
            this.originTlsFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Who may connect to the plain listener (connection caps); everyone by default. */
        public Builder acceptGuard(AcceptGuard guard) {
            this.acceptGuard = Objects.requireNonNull(guard, "guard");
            return this;
        }

        public ProxyCore start() throws InterruptedException {
            return new ProxyCore(this);
        }
    }
}
