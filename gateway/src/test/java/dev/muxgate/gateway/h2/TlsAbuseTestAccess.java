package dev.muxgate.gateway.h2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;

/** The TLS side of a refusal at accept, for tests outside {@link TlsAbuseTest}. */
final class TlsAbuseTestAccess {

    private TlsAbuseTestAccess() {
    }

    /** A TLS connection from {@code from} is closed before it can be used. */
    static void assertRefused(int port, String from) throws Exception {
        try (RawH2 refused = RawH2.connect(port, true, 0, from)) {
            refused.preface();
            assertTrue(refused.awaitEnd(30), "a connection past the cap was kept");
        } catch (IOException expected) {
            // The handshake failed: the gateway closed the connection as it was accepted.
        }
    }
}
