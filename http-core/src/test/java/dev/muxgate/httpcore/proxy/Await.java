package dev.muxgate.httpcore.proxy;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Bounded polling for conditions no latch can express (counters of the core, pools). */
final class Await {

    private Await() {
    }

    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, Duration.ofSeconds(10), condition);
    }

    static void until(String what, Duration bound, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    static <T> void equal(String what, T expected, Supplier<T> actual) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!expected.equals(actual.get())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what + " is " + expected + ", is "
                        + actual.get());
            }
            Thread.sleep(5);
        }
    }
}
