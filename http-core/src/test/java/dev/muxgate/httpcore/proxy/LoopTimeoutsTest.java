package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LoopTimeoutsTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final LoopTimeouts wheel = new LoopTimeouts(channel.eventLoop());
    private final List<String> fired = new ArrayList<>();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private long inMillis(long millis) {
        return wheel.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aTimeOutFiresOnceAfterItsDeadlineAndNeverBefore() {
        wheel.newTimeout(() -> fired.add("a")).arm(inMillis(100));
        advance(99);
        assertEquals(List.of(), fired);
        advance(1 + TimeUnit.NANOSECONDS.toMillis(LoopTimeouts.SLOT_NANOS));
        assertEquals(List.of("a"), fired);
        advance(1_000);
        assertEquals(List.of("a"), fired);
        assertEquals(0, wheel.armed());
    }

    @Test
    void disarmedNeverFiresAndReArmedFiresAtItsNewDeadline() {
        LoopTimeouts.Timeout a = wheel.newTimeout(() -> fired.add("a"));
        LoopTimeouts.Timeout b = wheel.newTimeout(() -> fired.add("b"));
        a.arm(inMillis(50));
        b.arm(inMillis(50));
        b.disarm();
        a.arm(inMillis(300));
        assertTrue(a.isArmed());
        assertFalse(b.isArmed());
        advance(200);
        assertEquals(List.of(), fired);
        advance(150);
        assertEquals(List.of("a"), fired);
    }

    @Test
    void aDeadlineBeyondOneTurnOfTheWheelWaitsForItsTurn() {
        wheel.newTimeout(() -> fired.add("late")).arm(inMillis(12_000));
        wheel.newTimeout(() -> fired.add("soon")).arm(inMillis(40));
        for (int i = 0; i < 1_190; i++) {
            advance(10);
        }
        assertEquals(List.of("soon"), fired, "11.9 s in");
        for (int i = 0; i < 20; i++) {
            advance(10);
        }
        assertEquals(List.of("soon", "late"), fired);
    }

    @Test
    void afterALongStallEveryDueTimeOutFiresOnceAndTheRestWait() {
        for (int i = 1; i <= 20; i++) {
            String name = "t" + i;
            wheel.newTimeout(() -> fired.add(name)).arm(inMillis(i * 1_000L));
        }
        advance(10_500);
        assertEquals(10, fired.size(), fired.toString());
        advance(10_000);
        assertEquals(20, fired.size());
        assertEquals(20, fired.stream().distinct().count());
    }

    @Test
    void anActionMayDisarmAnotherDueOneOrReArmItself() {
        LoopTimeouts.Timeout[] other = new LoopTimeouts.Timeout[1];
        LoopTimeouts.Timeout[] self = new LoopTimeouts.Timeout[1];
        int[] runs = {0};
        self[0] = wheel.newTimeout(() -> {
            fired.add("self");
            other[0].disarm();
            if (++runs[0] < 3) {
                self[0].arm(inMillis(100));
            }
        });
        other[0] = wheel.newTimeout(() -> fired.add("other"));
        long deadline = inMillis(100);
        self[0].arm(deadline);
        other[0].arm(deadline);
        advance(150);
        assertEquals(List.of("self"), fired, "the disarmed one must not run although it was due");
        advance(150);
        advance(150);
        advance(150);
        assertEquals(List.of("self", "self", "self"), fired);
    }

    @Test
    void aFailingActionDoesNotStopTheOthers() {
        wheel.newTimeout(() -> {
            throw new IllegalStateException("boom");
        }).arm(inMillis(20));
        wheel.newTimeout(() -> fired.add("b")).arm(inMillis(20));
        advance(100);
        assertEquals(List.of("b"), fired);
    }

    @Test
    void theWheelStopsTurningWhenNothingIsArmed() {
        LoopTimeouts.Timeout a = wheel.newTimeout(() -> fired.add("a"));
        a.arm(inMillis(5_000));
        advance(20);
        a.disarm();
        advance(20);
        assertEquals(-1, channel.runScheduledPendingTasks(), "no task left once nothing is armed");
        a.arm(inMillis(30));
        advance(50);
        assertEquals(List.of("a"), fired);
    }
}
