package dev.muxgate.httpcore.log;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-over from the event loops (many producers) to the log writer thread (one
 * consumer). Producers never wait for room: a full queue refuses the record. The lock is held
 * only to store or copy references, so an event loop never waits on I/O here.
 *
 * <p>Closing happens under the same lock as offering, so once {@link #close} returns no record
 * can slip in behind the writer's last drain: every record {@link #offer} accepted is drained.
 */
final class RecordQueue<T> {

    enum Offer { ACCEPTED, FULL, CLOSED }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Object[] ring;
    private int head;
    private int count;
    private boolean closed;
    private boolean wakeRequested;

    RecordQueue(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        ring = new Object[capacity];
    }

    Offer offer(T record) {
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (count == ring.length) {
                return Offer.FULL;
            }
            ring[(head + count) % ring.length] = record;
            count++;
            // The single consumer only ever waits on an empty queue.
            if (count == 1) {
                changed.signal();
            }
            return Offer.ACCEPTED;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Moves up to {@code into.length} records into {@code into}, waiting up to {@code waitNanos}
     * (0: not at all) for the first one or a {@link #wake}.
     *
     * @return how many records were moved, 0 when woken or timed out with none, -1 once the queue
     *         is closed and empty
     */
    int drainTo(T[] into, long waitNanos) {
        lock.lock();
        try {
            long remaining = waitNanos;
            while (count == 0 && !closed && !wakeRequested && remaining > 0) {
                try {
                    remaining = changed.awaitNanos(remaining);
                } catch (InterruptedException e) {
                    // Nobody should interrupt the writer; carry on rather than lose lines.
                    break;
                }
            }
            wakeRequested = false;
            if (count == 0) {
                return closed ? -1 : 0;
            }
            int n = Math.min(count, into.length);
            for (int i = 0; i < n; i++) {
                into[i] = record(head);
                ring[head] = null;
                head = (head + 1) % ring.length;
            }
            count -= n;
            return n;
        } finally {
            lock.unlock();
        }
    }

    @SuppressWarnings("unchecked") // only offer() stores into the ring, and only Ts
    private T record(int index) {
        return (T) ring[index];
    }

    /** Makes a waiting {@link #drainTo} return, so the consumer looks at its other work. */
    void wake() {
        lock.lock();
        try {
            wakeRequested = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Refuses further records; those already accepted are still drained. */
    void close() {
        lock.lock();
        try {
            closed = true;
            changed.signal();
        } finally {
            lock.unlock();
        }
    }
}
