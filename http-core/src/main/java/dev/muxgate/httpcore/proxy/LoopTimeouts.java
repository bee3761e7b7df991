package dev.muxgate.httpcore.proxy;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The time-outs of one event loop's connections and transactions, kept on a wheel of 10 ms slots
 * that one scheduled task of the loop turns, instead of one task of the loop's own queue per
 * time-out. A proxied request arms and disarms several time-outs (the header wait, the origin's
 * answer, the idle wait after it), and almost none of them ever fire: on the loop's queue each one
 * is an allocation and two updates of a heap as deep as the loop has open time-outs, here a link and
 * an unlink. Profiled under h2load (1 KiB, 512 streams at once), the loop's scheduling took about
 * 2% of the gateway's CPU before, and this wheel too little to show.
 *
 * <p>A time-out fires within one slot after its deadline, never before it. While any time-out is
 * armed the wheel's task runs every slot, about a hundred short wake-ups a second; with none armed
 * it does not run. Used only on its own loop.
 */
final class LoopTimeouts {

    private static final InternalLogger LOG = InternalLoggerFactory.getInstance(LoopTimeouts.class);

    static final long SLOT_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** 5.12 s per turn; a later deadline stays in its slot for as many turns as it needs. */
    private static final int SLOTS = 512;

    private final EventExecutor loop;
    /** Each slot's list head, a sentinel linked to itself when the slot is empty. */
    private final Timeout[] slots = new Timeout[SLOTS];
    private final List<Timeout> due = new ArrayList<>();
    private final Runnable turn = this::turn;
    /** Every slot up to this one has been looked at. */
    private long lastSlot;
    private int armed;
    private boolean turnScheduled;

    LoopTimeouts(EventExecutor loop) {
        this.loop = loop;
        for (int i = 0; i < SLOTS; i++) {
            slots[i] = new Timeout(null);
        }
        lastSlot = Math.floorDiv(loop.ticker().nanoTime(), SLOT_NANOS);
    }

    /** A time-out that runs {@code action} on this loop once its deadline has passed; not yet armed. */
    Timeout newTimeout(Runnable action) {
        return new Timeout(action);
    }

    /** The loop's clock, as deadlines are given. */
    long nanoTime() {
        return loop.ticker().nanoTime();
    }

    /** Time-outs armed now (for tests). */
    int armed() {
        return armed;
    }

    /** One time-out, re-armed as often as its owner likes; it is armed at most once at a time. */
    final class Timeout {
        private final Runnable action;
        private long deadline;
        private Timeout prev;
        private Timeout next;
        /** Taken off the wheel as due, its action not yet run; disarming it cancels that too. */
        private boolean firing;

        private Timeout(Runnable action) {
            this.action = action;
            if (action == null) {
                prev = this;
                next = this;
            }
        }

        /** Fires at {@code deadlineNanos} (the loop's clock) instead of any earlier arming. */
        void arm(long deadlineNanos) {
            disarm();
            deadline = deadlineNanos;
            long slot = Math.max(Math.floorDiv(deadlineNanos, SLOT_NANOS) + 1, lastSlot + 1);
            Timeout head = slots[(int) (slot & (SLOTS - 1))];
            prev = head.prev;
            next = head;
            head.prev.next = this;
            head.prev = this;
            armed++;
            if (!turnScheduled) {
                scheduleTurn();
            }
        }

        void disarm() {
            firing = false;
            unlink();
        }

        private void unlink() {
            if (next != null) {
                prev.next = next;
                next.prev = prev;
                prev = null;
                next = null;
                armed--;
            }
        }

        boolean isArmed() {
            return next != null;
        }
    }

    private void scheduleTurn() {
        turnScheduled = true;
        long delay = (lastSlot + 1) * SLOT_NANOS - nanoTime();
        loop.schedule(turn, Math.max(0, delay), TimeUnit.NANOSECONDS);
    }

    private void turn() {
        turnScheduled = false;
        long now = nanoTime();
        long nowSlot = Math.floorDiv(now, SLOT_NANOS);
        // After a long stall every slot is looked at once, which finds every time-out that is due.
        long last = Math.min(nowSlot, lastSlot + SLOTS);
        for (long s = lastSlot + 1; s <= last; s++) {
            Timeout head = slots[(int) (s & (SLOTS - 1))];
            for (Timeout t = head.next; t != head; t = t.next) {
                if (t.deadline <= now) {
                    due.add(t);
                }
            }
        }
        lastSlot = Math.max(lastSlot, nowSlot);
        // Taken off first and run after: an action may disarm or re-arm any time-out, its own too,
        // and one disarmed or re-armed by an earlier action does not run.
        for (Timeout t : due) {
            t.unlink();
            t.firing = true;
        }
        for (Timeout t : due) {
            if (t.firing) {
                t.firing = false;
                try {
                    t.action.run();
                } catch (RuntimeException | Error e) {
                    // As the loop's own scheduled tasks are treated: said, and the others still run.
                    LOG.warn("a time-out's action failed", e);
                }
            }
        }
        due.clear();
        if (armed > 0 && !turnScheduled) {
            scheduleTurn();
        }
    }
}
