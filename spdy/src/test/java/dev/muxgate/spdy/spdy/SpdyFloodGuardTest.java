package dev.muxgate.spdy.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpdyFloodGuardTest {

    private static final long SECOND = 1_000_000_000L;

    private static SpdyLimits limits() {
        return new SpdyLimits(100, 16 * 1024, 64 * 1024, 64 * 1024, 3, 2, 1, Duration.ofSeconds(10), 2,
                Duration.ofMinutes(1));
    }

    @Test
    void eachRateIsCountedOnItsOwnAndStartsAgainInTheNextWindow() {
        SpdyFloodGuard guard = new SpdyFloodGuard(limits(), 0);
        assertNull(guard.reset(0));
        assertNull(guard.reset(SECOND));
        assertNull(guard.reset(2 * SECOND));
        SpdySessionException resets = guard.reset(3 * SECOND);
        assertNotNull(resets);
        assertEquals(SpdySessionException.Kind.RST_FLOOD, resets.kind());
        assertNull(guard.ping(3 * SECOND));
        assertNull(guard.ping(3 * SECOND));
        assertEquals(SpdySessionException.Kind.FRAME_FLOOD, guard.ping(4 * SECOND).kind());
        assertNull(guard.settings(4 * SECOND));
        assertNotNull(guard.settings(4 * SECOND));
        // A new window: everything allowed again.
        assertNull(guard.reset(11 * SECOND));
        assertNull(guard.ping(11 * SECOND));
        assertNull(guard.settings(11 * SECOND));
    }

    @Test
    void resetsOfEndedStreamsHaveALargerBudgetOfTheirOwn() {
        SpdyFloodGuard guard = new SpdyFloodGuard(limits(), 0);
        int budget = 3 * SpdyFloodGuard.STRAY_RESET_FACTOR;
        for (int i = 0; i < budget; i++) {
            assertNull(guard.strayReset(SECOND), "stray reset " + i);
        }
        assertNull(guard.reset(SECOND), "the strays do not use up the reset limit");
        assertEquals(SpdySessionException.Kind.RST_FLOOD, guard.strayReset(SECOND).kind());
        assertNull(guard.strayReset(11 * SECOND), "a new window");
    }

    @Test
    void theControlBacklogRestartsWhenTheConnectionDrains() {
        SpdyFloodGuard guard = new SpdyFloodGuard(limits(), 0);
        assertNull(guard.controlFrameQueued());
        assertNull(guard.controlFrameQueued());
        guard.drained();
        assertNull(guard.controlFrameQueued());
        assertNull(guard.controlFrameQueued());
        assertEquals(SpdySessionException.Kind.FRAME_FLOOD, guard.controlFrameQueued().kind());
    }

    @Test
    void limitsAreValidatedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new SpdyLimits(0, 16 * 1024, 64 * 1024, 64 * 1024,
                1, 1, 1, Duration.ofSeconds(1), 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SpdyLimits(1, 16 * 1024, 1024, 64 * 1024,
                1, 1, 1, Duration.ofSeconds(1), 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new SpdyLimits(1, 16 * 1024, 64 * 1024, 64 * 1024,
                1, 1, 1, Duration.ZERO, 1, Duration.ofSeconds(1)));
    }
}
