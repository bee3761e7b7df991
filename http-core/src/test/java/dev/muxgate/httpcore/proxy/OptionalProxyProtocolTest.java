package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.balancer.ProxyHeaderRefusal;
import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import dev.muxgate.httpcore.balancer.ProxyProtocolMode;
import dev.muxgate.httpcore.balancer.TrustedBalancers;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The core's plain listener with the PROXY protocol optional, trusting 127.0.0.1, over real
 * sockets: a trusted peer's header names the client in the access log, a connection without one
 * is its own client, and an untrusted peer (127.0.0.2) is served without a header but closed with one.
 */
@Timeout(30)
class OptionalProxyProtocolTest {

    private static final String GET = "GET /status/204 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

    /** Sends {@code bytes} from {@code source} and reads to the end: the response, or "" when closed unanswered. */
    private static String exchange(String source, int port, String bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes.getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException reset) {
                return "";
            }
        }
    }

    @Test
    void headerIsReadWhenPresentAndTrustedOnly() throws Exception {
        ProxyProtocolConfig optional = new ProxyProtocolConfig(ProxyProtocolMode.OPTIONAL,
                TrustedBalancers.of(List.of("127.0.0.1")), ProxyProtocolConfig.DEFAULT_MAX_TLV_BYTES);
        CoreConfig config = TestCores.demoConfig().withListener(new ListenerConfig(true, "127.0.0.1", 0, optional));
        RecordingAccessLog log = new RecordingAccessLog();
        try (ProxyCore core = TestCores.start(config, log)) {
            int port = core.listenAddress().getPort();
            String header = "PROXY TCP4 203.0.113.9 127.0.0.1 41000 " + port + "\r\n";
            assertTrue(exchange("127.0.0.1", port, header + GET).startsWith("HTTP/1.1 204"));
            assertEquals("203.0.113.9", log.awaitCount(1).get(0).clientIp());
            assertTrue(exchange("127.0.0.1", port, GET).startsWith("HTTP/1.1 204"));
            assertEquals("127.0.0.1", log.awaitCount(2).get(1).clientIp());
            assertTrue(exchange("127.0.0.2", port, GET).startsWith("HTTP/1.1 204"));
            assertEquals("127.0.0.2", log.awaitCount(3).get(2).clientIp());
            assertEquals("", exchange("127.0.0.2", port, header + GET), "a forged header is not answered");
            assertEquals(1, core.listenerProxyProtocol().refusedCount(ProxyHeaderRefusal.UNTRUSTED));
            assertEquals(1, core.listenerProxyProtocol().acceptedCount("v1"));
            assertEquals(2, core.listenerProxyProtocol().absentCount());
            assertEquals(3, log.records().size());
        }
    }
}
