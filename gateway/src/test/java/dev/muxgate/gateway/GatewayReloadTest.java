package dev.muxgate.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keys a reload applies and which it names and keeps. */
class GatewayReloadTest {

    private final GatewayConfig running = GatewayConfig.defaults(Path.of("gateway.yaml"));

    @Test
    void socketsStateDirNodeIdAndTheSessionLogFileAreNamedAndKept() {
        GatewayConfig wanted = running
                .withTls(running.tls().withListener("127.0.0.2", 9443).withStateDir(Path.of("elsewhere")))
                .withAdmin(new AdminConfig(true, "127.0.0.1", 9191))
                .withSessionLog(new SessionLogConfig(true, Path.of("other.log"), 0, Duration.ZERO, 0, 10)
                        .withSyntax(LogSyntax.JSON));
        List<String> notes = new ArrayList<>();
        GatewayConfig applied = GatewayReload.applicable(running, wanted, notes);
        for (String key : List.of("tls.host", "tls.port", "tls.state-dir", "admin.port", "logs.session.path",
                "logs.session.rotate-size", "logs.session.queue-lines")) {
            assertTrue(notes.stream().anyMatch(n -> n.startsWith(key + ": a reload cannot change it")), key + " in " + notes);
        }
        assertEquals(7 + 2, notes.size(), notes.toString()); // + rotate-interval and keep
        assertEquals(running.tls().port(), applied.tls().port());
        assertEquals(running.tls().stateDir(), applied.tls().stateDir());
        assertEquals(running.admin(), applied.admin());
        assertEquals(running.sessionLog().path(), applied.sessionLog().path());
        assertEquals(LogSyntax.JSON, applied.sessionLog().syntax(), "the syntax does change");
    }

    @Test
    void certificatesLimitsAndGraceApplyWithoutANote() {
        GatewayConfig wanted = running
                .withTls(running.tls().withCertificates(List.of(new TlsConfig.CertificateEntry(List.of("a.example"),
                        Path.of("a.crt"), Path.of("a.key")))))
                .withShutdownGrace(Duration.ofSeconds(3));
        List<String> notes = new ArrayList<>();
        GatewayConfig applied = GatewayReload.applicable(running, wanted, notes);
        assertEquals(List.of(), notes);
        assertEquals(wanted.tls(), applied.tls());
        assertEquals(Duration.ofSeconds(3), applied.shutdownGrace());
    }
}
