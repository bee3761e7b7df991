package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** openssl s_client sees what the gateway negotiates: ALPN, NPN over TLS 1.2, and the no-overlap alert. */
@Timeout(60)
class AlpnNegotiationTest {

    @TempDir
    static Path dir;

    private static H2Gateway gw;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Tool.installed("openssl"), "openssl is installed");
        gw = H2Gateway.start(dir);
    }

    @AfterAll
    static void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    private static Tool.Result sClient(String... args) throws Exception {
        String[] cmd = new String[args.length + 4];
        cmd[0] = "openssl";
        cmd[1] = "s_client";
        cmd[2] = "-connect";
        cmd[3] = "127.0.0.1:" + gw.port();
        System.arraycopy(args, 0, cmd, 4, args.length);
        return Tool.run(dir, 30, cmd);
    }

    @Test
    void alpnSelectsH2() throws Exception {
        Tool.Result r = sClient("-alpn", "h2,http/1.1");
        assertTrue(r.stdout().contains("ALPN protocol: h2"), r.all());
    }

    @Test
    void alpnSelectsHttp11WhenThatIsAllTheClientOffers() throws Exception {
        Tool.Result r = sClient("-alpn", "http/1.1");
        assertTrue(r.stdout().contains("ALPN protocol: http/1.1"), r.all());
    }

    @Test
    void npnOverTls12NegotiatesH2() throws Exception {
        Tool.Result r = sClient("-tls1_2", "-nextprotoneg", "h2,http/1.1");
        assumeTrue(!r.stderr().contains("unknown option") && !r.stderr().contains("-nextprotoneg"),
                "this openssl build has no NPN");
        assertTrue(r.stdout().contains("Next protocol: (1) h2"), r.all());
    }

    @Test
    void aClientOfferingOnlyAnUnknownProtocolGetsAlert120() throws Exception {
        Tool.Result r = sClient("-alpn", "foo");
        assertNotEquals(0, r.exit(), r.all());
        assertTrue(r.all().contains("alert number 120") || r.all().contains("no application protocol"), r.all());
    }
}
