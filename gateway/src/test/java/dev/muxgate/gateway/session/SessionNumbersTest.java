package dev.muxgate.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.connect.ConnectOptions;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SessionNumbersTest {

    @Test
    void numbersStartAtOneAndCountUp() {
        SessionNumbers numbers = new SessionNumbers(0);
        assertEquals(1, numbers.next());
        assertEquals(2, numbers.next());
    }

    @Test
    void nodeIdSitsInTheTopBitsAndCanBeReadBack() {
        SessionNumbers numbers = new SessionNumbers(7);
        long n = numbers.next();
        assertEquals(7, SessionNumbers.nodeOf(n));
        assertEquals(1, n & 0xFFFF_FFFF_FFFFL);
    }

    @Test
    void theLargestNodeIdStillGivesPositiveNumbersThatArePluginIds() {
        long n = new SessionNumbers(SessionNumbers.MAX_NODE_ID).next();
        assertTrue(n > 0, "a session number must never be negative: " + n);
        // Every number must be usable as a plugin id, which refuses negatives.
        ConnectOptions.builder(new InetSocketAddress("127.0.0.1", 1)).pluginId(n).build();
    }

    @Test
    void nodeIdOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SessionNumbers(-1));
        assertThrows(IllegalArgumentException.class, () -> new SessionNumbers(SessionNumbers.MAX_NODE_ID + 1));
    }
}
