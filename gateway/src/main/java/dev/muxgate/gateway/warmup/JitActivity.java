package dev.muxgate.gateway.warmup;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

/** Watches the JIT compiler's accumulated time, to wait until its queue has drained. */
final class JitActivity {

    private static final long POLL_MILLIS = 200;
    /** Compiler time per poll below which the compiler counts as idle. */
    private static final long QUIET_MILLIS_PER_POLL = 10;

    private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();

    /** Total milliseconds the JIT has compiled so far; 0 when the JVM does not tell. */
    long totalMillis() {
        return compiler != null && compiler.isCompilationTimeMonitoringSupported()
                ? compiler.getTotalCompilationTime() : 0;
    }

    /** Sleeps until a poll sees the compiler (nearly) idle, or {@code maxNanos} passed. */
    void awaitQuiet(long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(0, maxNanos);
        long last = totalMillis();
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            long now = totalMillis();
            if (now - last <= QUIET_MILLIS_PER_POLL) {
                return;
            }
            last = now;
        }
    }
}
