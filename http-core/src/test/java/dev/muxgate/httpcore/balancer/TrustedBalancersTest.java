package dev.muxgate.httpcore.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedBalancersTest {

    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void blocksAndHostsMatchTheirAddressesOnly() throws Exception {
        TrustedBalancers t = TrustedBalancers.of(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8", "172.16.0.0/12"));
        assertTrue(t.trusts(ip("10.255.1.2")));
        assertFalse(t.trusts(ip("11.0.0.1")));
        assertTrue(t.trusts(ip("192.168.1.7")));
        assertFalse(t.trusts(ip("192.168.1.8")));
        assertTrue(t.trusts(ip("fd12::1")));
        assertFalse(t.trusts(ip("fe80::1")));
        assertTrue(t.trusts(ip("172.31.255.255")));
        assertFalse(t.trusts(ip("172.32.0.0")));
        assertFalse(t.trusts(null));
    }

    @Test
    void ipv4MappedPeersMatchIpv4Entries() throws Exception {
        TrustedBalancers t = TrustedBalancers.of(List.of("127.0.0.1"));
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 127, 0, 0, 1};
        assertTrue(t.trusts(java.net.Inet6Address.getByAddress(null, mapped, -1)));
    }

    @Test
    void badEntriesAreNamed() {
        assertEquals("\"lb.example\" is not an IP address or CIDR block",
                assertThrows(IllegalArgumentException.class, () -> TrustedBalancers.of(List.of("lb.example"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TrustedBalancers.of(List.of("10.0.0.0/33")));
        assertThrows(IllegalArgumentException.class, () -> TrustedBalancers.of(List.of("10.1.2.3/8")));
        assertThrows(IllegalArgumentException.class, () -> TrustedBalancers.of(List.of("10.0.0.0/")));
    }

    @Test
    void noEntriesTrustNobody() throws Exception {
        assertFalse(TrustedBalancers.none().trusts(ip("127.0.0.1")));
    }
}
