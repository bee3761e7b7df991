package dev.muxgate.gateway.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/examples/behind-l4.yaml loads, and is the defaults with the PROXY protocol required on 8443. */
class BehindL4ExampleTest {

    @Test
    void exampleIsTheDefaultsWithProxyProtocolRequiredOnTheTlsListener() {
        Path file = shipped("conf/examples/behind-l4.yaml");
        GatewayConfig example = GatewayConfig.load(file);
        assertEquals(8443, example.tls().port());
        ProxyProtocolConfig required = new ProxyProtocolConfig(ProxyProtocolMode.REQUIRED,
                TrustedBalancers.of(List.of("127.0.0.1")), ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
        GatewayConfig defaults = GatewayConfig.defaults(file);
        assertEquals(defaults.withTls(defaults.tls().withProxyProtocol(required)), example);
    }

    private static Path shipped(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " not found");
    }
}
