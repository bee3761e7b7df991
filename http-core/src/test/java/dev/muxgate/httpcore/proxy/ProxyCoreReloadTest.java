package dev.muxgate.httpcore.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import dev.muxgate.httpcore.config.LogSyntax;
import dev.muxgate.httpcore.config.OriginPoolConfig;
import dev.muxgate.httpcore.config.RemapRule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ProxyCore#reconfigure}: a connection open across a reload keeps the remap, limits and
 * log format it was accepted with, a new connection gets the new ones, no line is lost, and what a
 * reload cannot change (the listener, the log file) is named and kept.
 */
@Timeout(60)
class ProxyCoreReloadTest {

    @TempDir
    Path dir;

    @Test
    void openConnectionsFinishOnTheirConfigurationAndNewOnesTakeTheReloadedOne() throws Exception {
        Path accessLog = dir.resolve("access.log");
        AccessLogConfig d = AccessLogConfig.defaults();
        AccessLogConfig text = new AccessLogConfig(true, accessLog, "%<cquc> %<pssc>", 0, Duration.ZERO, 0, 1024);
        CoreConfig first = TestCores.demoConfig().withAccessLog(text);
        TestOrigin origin = new TestOrigin();
        ProxyCore core = ProxyCore.builder(first).threads(2).start();
        try (RawClient old = new RawClient(core.listenAddress())) {
            old.send("GET /echo?before HTTP/1.1\r\nHost: a\r\n\r\n");
            assertEquals(200, old.read().status);

            // Everything to an origin that is not the demo, JSON lines, and a listener move that cannot be.
            CoreConfig second = first
                    .withRemap(List.of(new RemapRule("*", "/", URI.create(origin.uri().toString()))))
                    .withAccessLog(text.withSyntax(LogSyntax.JSON).withFormat("%<cquc> %<pssc> %<shn>"))
                    .withOrigins(new OriginPoolConfig(Duration.ofSeconds(3), Duration.ofSeconds(9), 8,
                            Duration.ofSeconds(20), 16))
                    .withListener(new ListenerConfig(true, "127.0.0.1", 1));
            List<String> notes = core.reconfigure(second);
            assertEquals(1, notes.size(), notes.toString());
            assertTrue(notes.get(0).startsWith("listeners.http.port: a reload cannot change it; it stays 0"), notes.get(0));
            assertEquals(0, core.config().listener().port());
            assertEquals(LogSyntax.JSON, core.config().accessLog().syntax());

            old.send("GET /echo?kept HTTP/1.1\r\nHost: a\r\n\r\n");
            RawClient.Response kept = old.read();
            assertEquals(200, kept.status);
            assertTrue(kept.body().contains("GET /echo?kept"), "the demo origin still serves the open connection: " + kept.body());
            assertTrue(origin.seen.isEmpty(), "the open connection never saw the new remap");

            try (RawClient fresh = new RawClient(core.listenAddress())) {
                fresh.send("GET /echo?after HTTP/1.1\r\nHost: a\r\n\r\n");
                RawClient.Response after = fresh.read();
                assertEquals(200, after.status);
                assertEquals("hello /echo?after", after.body());
            }
        } finally {
            core.close();
            origin.close();
        }
        // Lines go out as transactions end, which across two connections may be in either order.
        java.util.Set<String> lines = java.util.Set.copyOf(Files.readAllLines(accessLog));
        assertEquals(3, Files.readAllLines(accessLog).size());
        assertEquals(java.util.Set.of("http://a/echo?before 200", "http://a/echo?kept 200",
                "{\"cquc\":\"http://a/echo?after\",\"pssc\":200,\"shn\":\"127.0.0.1:" + origin.uri().getPort() + "\"}"),
                lines);
    }
}
