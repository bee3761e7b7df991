package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.connect.HttpConnector;
import dev.muxgate.httpcore.connect.InProcessHttpConnector;
import dev.muxgate.httpcore.log.AccessLog;
import dev.muxgate.httpcore.log.AccessLogs;
import dev.muxgate.httpcore.origin.DemoOrigin;
import dev.muxgate.httpcore.origin.OriginPools;
import dev.muxgate.httpcore.origin.Transport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 proxy core, assembled: its event loops, its plain listener (when enabled), its
 * plugin-connection connector, origin pools, demo origin and access log. Built by {@link #builder},
 * stopped by {@link #close()}, which loses no log line.
 */
public final class ProxyCore implements AutoCloseable {

    private final CoreConfig config;
    private final Transport transport;
    private final EventLoopGroup workers;
    private final boolean ownsWorkers;
    private final AccessLog accessLog;
    private final DemoOrigin demo;
    private final OriginPools origins;
    private final CoreStats stats = new CoreStats();
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
        this.origins = new OriginPools(config.origins(), demo);
        CoreContext context = new CoreContext(config, origins, accessLog, stats, b.originLatency);
        this.initializer = new CoreChannelInitializer(context);
        InetSocketAddress nominal = new InetSocketAddress(config.listener().host(), config.listener().port());
        Channel bound = null;
        AcceptGuard acceptGuard = b.acceptGuard;
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
                                if (!acceptGuard.admit(ch)) {
                                    ch.close();
                                    return;
                                }
                                initializer.accept(ch);
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

    public CoreConfig config() {
        return config;
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
        if (ownsWorkers) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
        accessLog.close();
        demo.close();
    }

    /** Assembles a core; everything but the config has a default. */
    public static final class Builder {
        private final CoreConfig config;
        private Transport transport;
        private EventLoopGroup workers;
        private int threads = Runtime.getRuntime().availableProcessors();
        private AccessLog accessLog;
        private OriginLatencyRecorder originLatency = OriginLatencyRecorder.NONE;
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
