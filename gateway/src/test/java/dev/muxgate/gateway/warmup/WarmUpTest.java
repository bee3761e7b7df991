package dev.muxgate.gateway.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.RemapRule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(300)
class WarmUpTest {

    @TempDir
    Path dir;

    private GatewayConfig realConfig() {
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(true, "127.0.0.1", 0))
                .withRemap(List.of(new RemapRule(RemapRule.ANY_HOST, "/", URI.create("http://192.0.2.1:9/"))))
                .withAccessLog(new AccessLogConfig(true, dir.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        return GatewayConfig.defaults(dir.resolve("gateway.yaml")).withCore(core)
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state")))
                .withSessionLog(new SessionLogConfig(true, dir.resolve("session.log"), 0, Duration.ZERO, 0, 1024))
                .withWarmUp(new WarmUpConfig(400, 128, Duration.ofSeconds(150)));
    }

    @Test
    void everyWarmUpRequestIsAnsweredAndNothingReachesTheRealOriginOrTheLogs() throws Exception {
        // The configured origin is a documentation address that nobody answers: a warm-up request that
        // went there would fail, so zero failures shows every one stayed on loopback.
        WarmUp.Report report = WarmUp.run(realConfig());
        assertEquals(400, report.completed(), report.describe());
        assertEquals(0, report.failed(), report.describe());
        assertTrue(report.rounds() >= 1);
        assertTrue(report.describe().startsWith("warm-up: 400 requests in "), report.describe());
        // The brief sessions (a handshake and one request each) come on top of the request load's.
        assertTrue(report.sessions() >= 128, report.describe());
        assertFalse(Files.exists(dir.resolve("access.log")) && Files.size(dir.resolve("access.log")) > 0,
                "warm-up traffic must not reach the access log");
        assertFalse(Files.exists(dir.resolve("session.log")) && Files.size(dir.resolve("session.log")) > 0,
                "warm-up sessions must not reach the session log");
    }

    @Test
    void theCopyListensOnLoopbackOnlyWithLogsAndAdminOff() {
        GatewayConfig copy = WarmUp.copyOf(realConfig().withTls(TlsConfig.defaults()), 40000);
        assertEquals("127.0.0.1", copy.tls().host());
        assertEquals(0, copy.tls().port());
        assertEquals(new ListenerConfig(true, "127.0.0.1", 40000), copy.core().listener());
        assertFalse(copy.core().accessLog().enabled());
        assertFalse(copy.sessionLog().enabled());
        assertFalse(copy.admin().enabled());
        assertFalse(copy.warmUp().enabled(), "a copy never warms itself up");
        assertTrue(copy.core().remap().stream().noneMatch(r -> r.target().toString().contains("192.0.2.1")),
                copy.core().remap().toString());
    }

    @Test
    void badWarmUpSettingsStopStartUpNamingTheKey() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "warm-up:\n  requests: -5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> GatewayConfig.load(file));
        assertTrue(e.getMessage().contains("bad.yaml:2") && e.getMessage().contains("warm-up.requests"), e.getMessage());

        Files.writeString(file, "warm-up:\n  requests: 10\n  handshakes: 2000000\n");
        e = assertThrows(ConfigException.class, () -> GatewayConfig.load(file));
        assertTrue(e.getMessage().contains("bad.yaml:3") && e.getMessage().contains("warm-up.handshakes"), e.getMessage());

        Files.writeString(file, "warm-up:\n  rounds: 3\n");
        e = assertThrows(ConfigException.class, () -> GatewayConfig.load(file));
        assertTrue(e.getMessage().contains("rounds"), e.getMessage());
    }

    private Path writeEmpty() throws java.io.IOException {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "node-id: 0\n");
        return empty;
    }

    @Test
    void zeroRequestsTurnsItOff() throws Exception {
        Path file = dir.resolve("off.yaml");
        Files.writeString(file, "warm-up:\n  requests: 0\n");
        assertFalse(GatewayConfig.load(file).warmUp().enabled());
        Files.writeString(file, "warm-up:\n  handshakes: 500\n");
        assertEquals(500, GatewayConfig.load(file).warmUp().handshakes());
        assertEquals(WarmUpConfig.DEFAULT_HANDSHAKES, GatewayConfig.load(writeEmpty()).warmUp().handshakes());
        assertThrows(IllegalArgumentException.class, () -> new WarmUpConfig(10, 0, Duration.ZERO));
    }

    @Test
    void everyConfiguredHandshakeIsDueByTheLastRoundHoweverTheTotalDivides() {
        // 32 was once 32 / 4 rounds / 16 at once = 0 brief sessions per round: none at all.
        for (int total : new int[] {0, 1, 15, 32, 63, 100, 4_000, WarmUpConfig.MAX_HANDSHAKES}) {
            int before = 0;
            for (int round = 0; round < 6; round++) {
                int due = WarmUp.handshakesBy(total, round);
                assertTrue(due >= before && due <= total, total + " by round " + round + ": " + due);
                before = due;
            }
            assertEquals(total, WarmUp.handshakesBy(total, 3), "all of " + total + " due by the fourth round");
        }
        assertEquals(8, WarmUp.handshakesBy(32, 0));
    }
}
