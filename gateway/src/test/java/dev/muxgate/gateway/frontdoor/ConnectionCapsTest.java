package dev.muxgate.gateway.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ConnectionCapsTest {

    @Test
    void admitsUnderBothCapsAndGivesPlacesBack() throws Exception {
        ConnectionCaps caps = new ConnectionCaps(new ConnectionCapsConfig(3, 2));
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertNull(caps.admit(a));
        assertNull(caps.admit(a));
        assertEquals(ConnectionCaps.Refusal.MAX_CONNECTIONS_PER_CLIENT, caps.admit(a));
        assertNull(caps.admit(b));
        assertEquals(ConnectionCaps.Refusal.MAX_CONNECTIONS, caps.admit(b));
        assertEquals(3, caps.open());
        caps.release(a);
        assertNull(caps.admit(b));
        caps.release(a);
        caps.release(b);
        caps.release(b);
        assertEquals(0, caps.open());
        assertEquals(0, caps.clients(), "no entry is left for clients that are gone");
    }

    @Test
    void capsAreValidatedWhenBuilt() {
        assertThrows(IllegalArgumentException.class, () -> new ConnectionCapsConfig(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionCapsConfig(10, 0));
        assertThrows(IllegalArgumentException.class, () -> new ConnectionCapsConfig(10, 11));
    }
}
