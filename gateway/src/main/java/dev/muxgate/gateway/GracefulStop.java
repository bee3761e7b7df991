package dev.muxgate.gateway;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Stops the gateway once, whichever way the stop comes (a signal, the JVM's shutdown hook), and
 * lets {@code main} wait for it, so a SIGTERM ends with every log line written and status 0.
 */
final class GracefulStop {

    private final Gateway gateway;
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    GracefulStop(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Handles the named signal by stopping; quietly does nothing where signals are not available. */
    @SuppressWarnings("restriction")
    void onSignal(String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> new Thread(this::stop, "muxgate-stop").start());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // The JVM reserves it or the platform lacks it: the shutdown hook still drains.
        }
    }

    void stop() {
        if (started.compareAndSet(false, true)) {
            System.out.println("muxgate: stopping");
            try {
                gateway.close();
            } finally {
                System.out.println("muxgate: stopped");
                stopped.countDown();
            }
        } else {
            awaitStopped();
        }
    }

    void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
