package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.frontdoor.ConnectionCapsConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The connection caps hold on the core's plain HTTP listener too, with the TLS listener's
 * budget: past {@code connections.max-per-client} from one address, or {@code connections.max}
 * in all, a plain connection is closed at accept before a byte is read and counted; another
 * address is still served; a freed place is taken again; and the plain and the TLS listener
 * share one budget.
 */
@Timeout(120)
class PlainListenerCapsTest {

    @TempDir
    Path dir;

    @Test
    void plainConnectionsPastTheCapsAreClosedAtAcceptCountedAndShareTheTlsBudget() throws Exception {
        try (H2Gateway gw = H2Gateway.start(dir, c -> c.withConnections(new ConnectionCapsConfig(10, 5)))) {
            InetSocketAddress core = gw.gateway.core().listenAddress();
            List<Socket> held = new ArrayList<>();
            try {
                // Each held connection is served before the next opens: the caps count at accept on
                // the child's event loop, so connections opened back to back may be counted in
                // another order, and the one refused would not be the last.
                for (int i = 0; i < 5; i++) {
                    held.add(served(plain(core, "127.0.0.1")));
                }
                assertClosedAtAccept(plain(core, "127.0.0.1"));
                assertEquals(1.0, Scrape.value(gw.gateway,
                        "muxgate_connections_refused_total{reason=\"max_connections_per_client\"}"));
                // One budget with the TLS listener: a TLS connection from the same address is refused too.
                TlsAbuseTestAccess.assertRefused(gw.port(), "127.0.0.1");
                assertEquals(2.0, Scrape.value(gw.gateway,
                        "muxgate_connections_refused_total{reason=\"max_connections_per_client\"}"));

                for (int i = 0; i < 5; i++) {
                    held.add(served(plain(core, "127.0.0.2")));
                }
                assertClosedAtAccept(plain(core, "127.0.0.3"));
                assertEquals(1.0, Scrape.value(gw.gateway, "muxgate_connections_refused_total{reason=\"max_connections\"}"));

                held.remove(1).close();
                H2Gateway.awaitTrue("a place freed", Duration.ofSeconds(30), () -> {
                    try (Socket again = plain(core, "127.0.0.1")) {
                        assertServed(again);
                        return true;
                    } catch (IOException | AssertionError e) {
                        return false;
                    }
                });
                System.out.println("plain listener caps: the 6th plain connection from one address, a TLS one from it, "
                        + "and the 11th in all were closed at accept and counted; a freed place is taken again");
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    private static Socket plain(InetSocketAddress core, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(core, 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    private static Socket served(Socket s) throws IOException {
        assertServed(s);
        return s;
    }

    private static void assertServed(Socket s) throws IOException {
        s.getOutputStream().write("GET /bytes/3 HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        byte[] head = new byte[12];
        int n = s.getInputStream().readNBytes(head, 0, head.length);
        String start = new String(head, 0, n, StandardCharsets.US_ASCII);
        if (!start.equals("HTTP/1.1 200")) {
            throw new AssertionError("not served: " + start);
        }
        // Read the rest of the small response (head, then its three body bytes), so the
        // connection is idle and kept.
        InputStream in = s.getInputStream();
        int tail = 0;
        for (int c; (c = in.read()) >= 0; ) {
            tail = tail << 8 | c;
            if (tail == 0x0d0a0d0a) {
                if (in.readNBytes(3).length != 3) {
                    throw new AssertionError("closed before the body");
                }
                return;
            }
        }
        throw new AssertionError("closed before the response ended");
    }

    private static void assertClosedAtAccept(Socket s) throws IOException {
        try (s) {
            assertTrue(s.getInputStream().read() < 0, "a connection past the cap was kept");
        } catch (java.net.SocketException reset) {
            // closed with a reset: refused as well
        }
    }
}
