package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.muxgate.gateway.Gateway;
import dev.muxgate.gateway.GatewayConfig;
import dev.muxgate.gateway.admin.AdminConfig;
import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session tickets, checked with {@code openssl s_client -sess_out/-sess_in}: a second handshake
 * with the saved session says {@code Reused}, against one gateway, across two gateways that share
 * a key file, and across a key rotation; the session log and the metrics mark it.
 */
@Timeout(120)
class SessionResumptionTest {

    @TempDir
    Path dir;

    private final List<Gateway> gateways = new ArrayList<>();

    @AfterEach
    void stop() {
        gateways.forEach(Gateway::close);
    }

    private Gateway start(String name, SessionTicketConfig tickets) throws InterruptedException {
        Path home = dir.resolve(name);
        AccessLogConfig log = AccessLogConfig.defaults();
        CoreConfig core = CoreConfig.defaults()
                .withListener(new ListenerConfig(false, "127.0.0.1", 0))
                .withAccessLog(new AccessLogConfig(false, home.resolve("access.log"), log.format(), log.rotateBytes(),
                        log.rotateInterval(), log.keepFiles(), log.queueLines()));
        Gateway gateway = Gateway.start(GatewayConfig.defaults(home.resolve("gateway.yaml")).withCore(core)
                .withAdmin(new AdminConfig(false, "127.0.0.1", 0))
                .withSessionLog(new SessionLogConfig(true, home.resolve("session.log"), 0, Duration.ZERO, 0, 1024))
                // One state directory: both gateways serve the same certificate, as a fleet would.
                .withTls(TlsConfig.defaults().withListener("127.0.0.1", 0).withStateDir(dir.resolve("state"))
                        .withSessionTickets(tickets)));
        gateways.add(gateway);
        return gateway;
    }

    private static SessionTicketConfig keyFile(Path file) {
        return new SessionTicketConfig(true, file, Duration.ofHours(1), Duration.ofMillis(200));
    }

    private static String newKey() {
        byte[] key = new byte[48];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void writeKeys(Path file, String... keys) throws IOException {
        FileTime before = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
        Files.writeString(file, "# ticket keys, the first issues\n" + String.join("\n", keys) + "\n");
        if (before != null) {
            // Coarse file clocks: make the change visible to a reader that compares stamps.
            Files.setLastModifiedTime(file, FileTime.from(before.toInstant().plusSeconds(2)));
        }
    }

    /**
     * One handshake by {@code openssl s_client} with an h2 request's worth of waiting, so TLS 1.3
     * tickets (sent after the handshake) arrive; "New" or "Reused".
     */
    private static String handshake(int port, String version, Path sessionOut, Path sessionIn) throws Exception {
        return handshake(port, List.of(version), sessionOut, sessionIn);
    }

    private static String handshake(int port, List<String> options, Path sessionOut, Path sessionIn)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-alpn", "h2"));
        command.addAll(options);
        if (sessionOut != null) {
            command.addAll(List.of("-sess_out", sessionOut.toString()));
        }
        if (sessionIn != null) {
            command.addAll(List.of("-sess_in", sessionIn.toString()));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        // h2's SETTINGS follow the handshake at once, and the tickets with them; then hang up.
        TimeUnit.MILLISECONDS.sleep(1500);
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.flush();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), "openssl did not end");
        for (String line : output.split("\n")) {
            if (line.startsWith("New, ") || line.startsWith("Reused, ")) {
                return line.substring(0, line.indexOf(','));
            }
        }
        throw new AssertionError("no handshake line:\n" + output);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private List<String> sessionLines(String name) throws IOException {
        Path file = dir.resolve(name).resolve("session.log");
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void aTicketFromBeforeAReloadStillResumesWithKeysMadeInMemory() throws Exception {
        Gateway gateway = start("reloaded", SessionTicketConfig.defaults());
        Path session = dir.resolve("session-reload.pem");
        assertEquals("New", handshake(gateway.tlsAddress().getPort(), "-tls1_3", session, null));
        gateway.reload(gateway.config());
        assertEquals("Reused", handshake(gateway.tlsAddress().getPort(), "-tls1_3", null, session),
                "the reloaded contexts carry the ticket key on");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void aSecondHandshakeWithTheTicketIsResumedAndMarked(String version) throws Exception {
        Gateway gateway = start("one", SessionTicketConfig.defaults());
        Path session = dir.resolve("session-" + version + ".pem");
        assertEquals("New", handshake(gateway.tlsAddress().getPort(), version, session, null));
        assertEquals("Reused", handshake(gateway.tlsAddress().getPort(), version, null, session));
        await("two session lines", () -> {
            try {
                return sessionLines("one").size() == 2;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        // In the order of the handshakes, by session number: each line is written when its session
        // closes, and the first session's close may be seen after the second's.
        int number = dev.muxgate.gateway.session.SessionLogFormat.FIELDS.indexOf("number");
        List<String> lines = sessionLines("one").stream()
                .sorted(java.util.Comparator.comparingLong(l -> Long.parseLong(l.split(" ")[number])))
                .toList();
        int resumed = dev.muxgate.gateway.session.SessionLogFormat.FIELDS.indexOf("resumed");
        assertEquals("0", lines.get(0).split(" ")[resumed], lines.toString());
        assertEquals("1", lines.get(1).split(" ")[resumed], lines.toString());
        String metrics = gateway.metrics().scrape();
        assertTrue(metrics.contains("muxgate_tls_handshakes_total{resumed=\"true\"} 1.0"), metrics);
        assertTrue(metrics.contains("muxgate_tls_handshakes_total{resumed=\"false\"} 1.0"), metrics);
    }

    @Test
    void withTicketsOnTheServerKeepsNoSessionIdCacheAndWithoutThemItDoes() throws Exception {
        // A TLS 1.2 client that refuses tickets can only resume by session id, from server state.
        List<String> noTicket = List.of("-tls1_2", "-no_ticket");
        Gateway withTickets = start("tickets", SessionTicketConfig.defaults());
        Path first = dir.resolve("no-ticket-1.pem");
        assertEquals("New", handshake(withTickets.tlsAddress().getPort(), noTicket, first, null));
        // With no cache the server gives no session id, so openssl has nothing to save; should it
        // save one anyway, the id must not resume.
        if (Files.exists(first)) {
            assertEquals("New", handshake(withTickets.tlsAddress().getPort(), noTicket, null, first),
                    "tickets on: no per-session state is kept, so a session id does not resume");
        }
        SessionTicketConfig d = SessionTicketConfig.defaults();
        Gateway without = start("no-tickets",
                new SessionTicketConfig(false, null, d.rotateInterval(), d.reloadInterval()));
        Path second = dir.resolve("no-ticket-2.pem");
        assertEquals("New", handshake(without.tlsAddress().getPort(), noTicket, second, null));
        assertEquals("Reused", handshake(without.tlsAddress().getPort(), noTicket, null, second),
                "tickets off: the session-id cache is what resumes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-tls1_3", "-tls1_2"})
    void gatewaysSharingAKeyFileResumeEachOthersSessions(String version) throws Exception {
        Path keys = dir.resolve("ticket.keys");
        writeKeys(keys, newKey());
        Gateway a = start("a", keyFile(keys));
        Gateway b = start("b", keyFile(keys));
        Gateway stranger = start("c", SessionTicketConfig.defaults());
        Path session = dir.resolve("fleet-" + version + ".pem");
        assertEquals("New", handshake(a.tlsAddress().getPort(), version, session, null));
        assertEquals("Reused", handshake(b.tlsAddress().getPort(), version, null, session));
        assertEquals("New", handshake(stranger.tlsAddress().getPort(), version, null, session),
                "a gateway with keys of its own cannot read the fleet's tickets");
    }

    @Test
    void aRotatedKeyStillResumesUntilItLeavesTheFileAndABadFileKeepsTheKeys() throws Exception {
        Path keys = dir.resolve("rotating.keys");
        String first = newKey();
        writeKeys(keys, first);
        Gateway gateway = start("rotating", keyFile(keys));
        SessionTicketKeys ticketKeys = gateway.tlsFrontEnd().ticketKeys();
        int port = gateway.tlsAddress().getPort();
        Path session = dir.resolve("rotating.pem");
        assertEquals("New", handshake(port, "-tls1_3", session, null));

        writeKeys(keys, newKey(), first); // a new key issues; the old one is still accepted
        await("the first reload", () -> ticketKeys.rotations() == 1);
        assertEquals("Reused", handshake(port, "-tls1_3", null, session));

        Files.writeString(keys, "not a key\n");
        Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(10)));
        await("the refused reload", () -> ticketKeys.reloadFailures() == 1);
        assertEquals("Reused", handshake(port, "-tls1_3", null, session), "a bad file keeps the keys in use");

        writeKeys(keys, newKey());
        Files.setLastModifiedTime(keys, FileTime.from(Instant.now().plusSeconds(20)));
        await("the second reload", () -> ticketKeys.rotations() == 2);
        assertEquals("New", handshake(port, "-tls1_3", null, session), "the old key is gone");
    }

    @Test
    void aBadOrMissingKeyFileStopsStartUpNamingTheKey() throws Exception {
        Path conf = dir.resolve("gateway.yaml");
        Files.writeString(conf, "tls:\n  session-tickets:\n    key-file: " + dir.resolve("absent.keys") + "\n");
        ConfigException missing = assertThrows(ConfigException.class, () -> GatewayConfig.load(conf));
        assertTrue(missing.getMessage().contains("tls.session-tickets.key-file")
                && missing.getMessage().contains("absent.keys"), missing.getMessage());

        Path shortKey = dir.resolve("short.keys");
        Files.writeString(shortKey, Base64.getEncoder().encodeToString(new byte[12]) + "\n");
        Files.writeString(conf, "tls:\n  session-tickets:\n    key-file: " + shortKey + "\n");
        ConfigException bad = assertThrows(ConfigException.class, () -> GatewayConfig.load(conf));
        assertTrue(bad.getMessage().contains("short.keys:1") && bad.getMessage().contains("48 bytes"),
                bad.getMessage());
    }
}
