package dev.muxgate.gateway.spdy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.fault.FaultGateway;
import dev.muxgate.gateway.fault.ScriptedOrigin;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Origin faults seen by a SPDY/3.1 client through the real gateway: a response the origin cuts
 * short (dies, resets, hangs mid-body) ends in RST_STREAM, never a FIN; faults before the answer
 * give 502 or 504; every transaction has its access-log line saying how it ended.
 */
@Timeout(120)
class SpdyOriginFaultTest {

    private static void fault(Socket s, OutputStream out, String head) throws Exception {
        String path = head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        switch (path) {
            case "/ok" -> ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
            case "/die-length" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[30_000]);
                out.flush();
                Thread.sleep(100);
                s.close();
            }
            case "/die-chunked" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
                Thread.sleep(100);
                s.close();
            }
            case "/reset-mid" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[20_000]);
                out.flush();
                Thread.sleep(100);
                ScriptedOrigin.reset(s);
            }
            case "/hang-head" -> ScriptedOrigin.hang(s);
            case "/hang-body" -> {
                ScriptedOrigin.send(out, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n");
                out.write(new byte[10_000]);
                out.flush();
                ScriptedOrigin.hang(s);
            }
            default -> throw new IllegalArgumentException(path);
        }
    }

    @TempDir
    static Path dir;
    private static ScriptedOrigin origin;
    private static FaultGateway gw;

    @BeforeAll
    static void start() throws Exception {
        origin = new ScriptedOrigin(SpdyOriginFaultTest::fault);
        gw = FaultGateway.start(dir, origin.uri(), Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() throws IOException {
        if (gw != null) {
            gw.close();
        }
        if (origin != null) {
            origin.close();
        }
    }

    @Test
    void cutResponsesEndInAResetAndFaultsBeforeTheAnswerGet502Or504() throws Exception {
        try (SpdyClient client = SpdyClient.connect(gw.port(), "spdy/3.1")) {
            SpdyClient.Stream ok = client.open(client.request("GET", "/ok", true));
            assertEquals("200 OK", ok.status());
            assertEquals("end", ok.awaitEnd(), "the control: a whole response ends with FIN");
            assertEquals("hello", ok.body());
            assertEquals("TCP_MISS", gw.awaitLine("/ok")[FaultGateway.CRC]);

            for (String cut : new String[] {"/die-length", "/die-chunked", "/reset-mid", "/hang-body"}) {
                SpdyClient.Stream s = client.open(client.request("GET", cut, true));
                assertEquals("200 OK", s.status(), cut);
                String end = s.awaitEnd();
                assertTrue(end.startsWith("reset"), cut + " must end in RST_STREAM, never FIN: " + end);
                assertTrue(s.bytes.get() < 100_000, cut);
                assertEquals(cut.equals("/hang-body") ? "ERR_READ_TIMEOUT" : "ERR_ORIGIN_ERROR",
                        gw.awaitLine(cut)[FaultGateway.CRC], cut);
            }

            SpdyClient.Stream hang = client.open(client.request("GET", "/hang-head", true));
            assertEquals("504 Gateway Timeout", hang.status());
            assertEquals("end", hang.awaitEnd());
            assertEquals("ERR_READ_TIMEOUT", gw.awaitLine("/hang-head")[FaultGateway.CRC]);

            for (String[] c : new String[][] {{"/refused/x", "ERR_CONNECT_FAIL"}, {"/nxdomain/x", "ERR_DNS_FAIL"}}) {
                SpdyClient.Stream s = client.open(client.request("GET", c[0], true));
                assertEquals("502 Bad Gateway", s.status(), c[0]);
                assertEquals("end", s.awaitEnd());
                String[] line = gw.awaitLine(c[0]);
                assertEquals("502", line[FaultGateway.PSSC]);
                assertEquals(c[1], line[FaultGateway.CRC]);
            }
        }
    }
}
