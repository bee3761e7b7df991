package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.LimitsConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.config.RemapRule;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetric;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/** Configurations and small measuring tools shared by the core's integration tests. */
final class TestCores {

    private TestCores() {
    }

    static LimitsConfig limits() {
        return new LimitsConfig(8 * 1024, 32 * 1024, 100, 128L << 20,
                // Long on purpose: this machine's clock can leap ahead while a test waits, and a
                // test about something else must not see a time-out. Time-out tests set their own.
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofMinutes(10), 16);
    }

    static OriginPoolConfig origins() {
        return new OriginPoolConfig(Duration.ofSeconds(2), Duration.ofSeconds(10), 256, Duration.ofSeconds(30), 1024);
    }

    /** Loopback listener on a free port, everything to {@code origin}. */
    static CoreConfig config(URI origin) {
        return config(List.of(new RemapRule("*", "/", origin)));
    }

    static CoreConfig config(List<RemapRule> rules) {
        return CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withLimits(limits())
                .withOrigins(origins())
                .withRemap(rules);
    }

    static CoreConfig demoConfig() {
        return config(List.of(RemapRule.DEMO_CATCH_ALL));
    }

    static ProxyCore start(CoreConfig config, RecordingAccessLog log) throws InterruptedException {
        return ProxyCore.builder(config).threads(2).accessLog(log).start();
    }

    /** Bytes held by Netty's default allocator now, pooled and not, heap and direct. */
    static long nettyBytesInUse() {
        ByteBufAllocatorMetric m = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        return m.usedDirectMemory() + m.usedHeapMemory();
    }

    /** Samples {@link #nettyBytesInUse()} on a thread of its own until closed; keeps the peak. */
    static final class MemoryWatch implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final long baseline = nettyBytesInUse();
        private final Thread thread;

        MemoryWatch() {
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(nettyBytesInUse(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "memory-watch");
            thread.setDaemon(true);
            thread.start();
        }

        /** Peak growth over the baseline seen so far. */
        long peakGrowth() {
            return Math.max(0, peak.get() - baseline);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(1000);
        }
    }
}
