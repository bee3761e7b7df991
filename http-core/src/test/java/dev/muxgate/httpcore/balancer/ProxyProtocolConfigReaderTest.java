package dev.muxgate.httpcore.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.CoreConfigReader;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class ProxyProtocolConfigReaderTest {

    private static CoreConfig read(String yaml) {
        return CoreConfigReader.read(ConfigDocument.parse("gateway.yaml", yaml).root());
    }

    private static String failure(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml)).getMessage();
    }

    @Test
    void absentIsOff() {
        assertEquals(ProxyProtocolConfig.off(), read("listeners:\n  http:\n    port: 8080\n").listener().proxyProtocol());
    }

    @Test
    void requiredWithTrustedBalancersIsRead() throws Exception {
        ProxyProtocolConfig p = read("""
                listeners:
                  http:
                    proxy-protocol:
                      mode: required
                      trusted: [10.0.0.0/8, "::1"]
                      max-tlv-bytes: 512
                """).listener().proxyProtocol();
        assertEquals(ProxyProtocolMode.REQUIRED, p.mode());
        assertEquals(512, p.maxTlvBytes());
        assertTrue(p.trusted().trusts(InetAddress.getByName("10.9.8.7")));
        assertTrue(p.trusted().trusts(InetAddress.getByName("::1")));
    }

    @Test
    void badValuesAreNamedWithFileLineAndKey() {
        assertEquals("gateway.yaml:4: listeners.http.proxy-protocol.mode: expected off, optional or required, got \"on\"",
                failure("listeners:\n  http:\n    proxy-protocol:\n      mode: on\n"));
        assertEquals("gateway.yaml:5: listeners.http.proxy-protocol.trusted: \"lb1\" is not an IP address or CIDR block",
                failure("listeners:\n  http:\n    proxy-protocol:\n      mode: optional\n      trusted: [lb1]\n"));
        assertTrue(failure("listeners:\n  http:\n    proxy-protocol:\n      mode: required\n")
                .startsWith("gateway.yaml:3: listeners.http.proxy-protocol.trusted: mode required needs at least one"));
        assertTrue(failure("listeners:\n  http:\n    proxy-protocol:\n      max-tlv-bytes: 1m\n")
                .startsWith("gateway.yaml:4: listeners.http.proxy-protocol.max-tlv-bytes: expected a size of at most"));
        String unknown = failure("listeners:\n  http:\n    proxy-protocol:\n      trust: [1.2.3.4]\n");
        assertTrue(unknown.contains("listeners.http.proxy-protocol.trust: unknown key"), unknown);
    }
}
