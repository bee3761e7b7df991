package dev.muxgate.httpcore.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;

/**
 * A clock tests move by hand. It can also hold a log writer thread (the access log's unless told
 * another name) the next time that thread reads the time, which freezes the writer so a test can
 * fill its queue deterministically.
 */
final class FakeClock extends Clock {

    private final String writerThread;
    private volatile Instant now;
    private volatile CountDownLatch writerGate = new CountDownLatch(0);

    FakeClock(Instant start) {
        this(start, AsyncAccessLogWriter.THREAD_NAME);
    }

    FakeClock(Instant start, String writerThread) {
        this.now = start;
        this.writerThread = writerThread;
    }

    void advance(Duration by) {
        now = now.plus(by);
    }

    void holdWriterThread() {
        writerGate = new CountDownLatch(1);
    }

    void releaseWriterThread() {
        writerGate.countDown();
    }

    @Override
    public Instant instant() {
        if (Thread.currentThread().getName().equals(writerThread)) {
            try {
                writerGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("tests use UTC");
    }
}
