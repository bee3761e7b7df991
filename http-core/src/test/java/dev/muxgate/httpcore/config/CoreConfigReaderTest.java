package dev.muxgate.httpcore.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoreConfigReaderTest {

    /** A self-signed EC certificate, for files that must hold one. */
    private static final String SELF_SIGNED_PEM = "-----BEGIN CERTIFICATE-----\n" +
            "MIIBijCCAS+gAwIBAgIUXZi5SVxWW1ebehHHZbbc6Uc6tVgwCgYIKoZIzj0EAwIw\n" +
            "GTEXMBUGA1UEAwwOb3JpZ2luLWNhLnRlc3QwIBcNMjYxMjAxMTEyNDAzWhgPMjEy\n" +
            "NjExMDcxMTI0MDNaMBkxFzAVBgNVBAMMDm9yaWdpbi1jYS50ZXN0MFkwEwYHKoZI\n" +
            "zj0CAQYIKoZIzj0DAQcDQgAEXbfdXAiDahW9WnODV97N8vkBQP3A2KRO2Cr1Hhn2\n" +
            "vdlbWamru79bEwyWcNOh4lyHgCekqvEBHMNlmrIdwlOD5aNTMFEwHQYDVR0OBBYE\n" +
            "FCYniF9KU+do3BHrwaQoMko8clXfMB8GA1UdIwQYMBaAFCYniF9KU+do3BHrwaQo\n" +
            "Mko8clXfMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSQAwRgIhAIqaQnna\n" +
            "feoRsBAKjkG+cMxPst3rT7ZPj7KqWBX0i7+7AiEA/JodXbPQgJLKzO5B7F3pv1Kj\n" +
            "2g/IzUnOXwSRZx7E4k4=\n" +
            "-----END CERTIFICATE-----\n";


    private static CoreConfig read(String yaml) {
        return CoreConfigReader.read(ConfigDocument.parse("gateway.yaml", yaml).root());
    }

    private static ConfigException failure(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml));
    }

    @Test
    void emptyFileGivesTheDefaults() {
        assertEquals(CoreConfig.defaults(), read(""));
    }

    @Test
    void absentKeysKeepTheirDefaults() {
        CoreConfig config = read("limits:\n  header-bytes: 64k\norigins:\n  max-waiters: 0\n");
        assertEquals(64 * 1024, config.limits().headerBytes());
        assertEquals(LimitsConfig.defaults().headerCount(), config.limits().headerCount());
        assertEquals(0, config.origins().maxWaiters());
        assertEquals(OriginPoolConfig.defaults().connectTimeout(), config.origins().connectTimeout());
        assertEquals(CoreConfig.defaults().listener(), config.listener());
        assertEquals(CoreConfig.defaults().accessLog(), config.accessLog());
    }

    @Test
    void everySettingIsRead() {
        CoreConfig config = read(String.join("\n",
                "listeners:",
                "  http: {enabled: false, host: 127.0.0.1, port: 0}",
                "limits:",
                "  request-line-bytes: 4k",
                "  header-bytes: 16k",
                "  header-count: 50",
                "  request-body-bytes: 10m",
                "  header-timeout: 2s",
                "  body-timeout: 3s",
                "  idle-timeout: 4s",
                "  pipelined-requests: 1",
                "origins:",
                "  connect-timeout: 250ms",
                "  response-timeout: 1m",
                "  max-connections-per-origin: 8",
                "  idle-timeout: 1h",
                "  max-waiters: 2",
                "logs:",
                "  access:",
                "    enabled: false",
                "    path: /tmp/a.log",
                "    format: '%<chi>'",
                "    rotate-size: 0",
                "    rotate-interval: 0",
                "    keep: 0",
                "    queue-lines: 1",
                ""));
        assertEquals(new ListenerConfig(false, "127.0.0.1", 0), config.listener());
        assertEquals(new LimitsConfig(4096, 16384, 50, 10L * 1024 * 1024, Duration.ofSeconds(2),
                Duration.ofSeconds(3), Duration.ofSeconds(4), 1), config.limits());
        assertEquals(new OriginPoolConfig(Duration.ofMillis(250), Duration.ofMinutes(1), 8, Duration.ofHours(1), 2),
                config.origins());
        assertEquals(new AccessLogConfig(false, Path.of("/tmp/a.log"), "%<chi>", 0, Duration.ZERO, 0, 1),
                config.accessLog());
    }

    @Test
    void relativeLogPathStaysRelative() {
        Path path = read("logs:\n  access:\n    path: logs/x.log\n").accessLog().path();
        assertFalse(path.isAbsolute());
        assertEquals(Path.of("logs/x.log"), path);
    }

    @Test
    void portOutOfRangeFromTheRecordNamesItsKeyAndLine() {
        ConfigException e = failure("listeners:\n  http:\n    host: 0.0.0.0\n    port: 70000\n");
        assertEquals(4, e.line());
        assertEquals("listeners.http.port", e.keyPath());
        assertEquals("gateway.yaml:4: listeners.http.port: listener port must be 0..65535, got 70000", e.getMessage());
    }

    @Test
    void emptyHostFromTheRecordNamesTheHostKey() {
        ConfigException e = failure("listeners:\n  http:\n    port: 80\n    host: ''\n");
        assertEquals(4, e.line());
        assertEquals("listeners.http.host", e.keyPath());
    }

    @Test
    void nonPositiveLimitFromTheRecordNamesItsKeyAndLine() {
        ConfigException e = failure("limits:\n  header-count: 5\n  idle-timeout: 0\n");
        assertEquals(3, e.line());
        assertEquals("limits.idle-timeout", e.keyPath());
    }

    @Test
    void negativeAccessLogSettingNamesItsKey() {
        ConfigException e = failure("logs:\n  access:\n    keep: -1\n");
        assertEquals("gateway.yaml:3: logs.access.keep: keep must not be negative", e.getMessage());
    }

    @Test
    void headerBytesBeyondAnIntIsRefused() {
        ConfigException e = failure("limits:\n  header-bytes: 2g\n");
        assertEquals("limits.header-bytes", e.keyPath());
        assertEquals(2, e.line());
    }

    @Test
    void unknownKeyInsideACoreSectionIsRefusedWithASuggestion() {
        ConfigException e = failure("limits:\n  header-bytes: 1k\n  idle-timout: 5s\n");
        assertEquals("gateway.yaml:3: limits.idle-timout: unknown key, did you mean idle-timeout?", e.getMessage());
    }

    @Test
    void unknownKeysAreCheckedInEveryCoreSection() {
        assertEquals("listeners.https", failure("listeners:\n  https: {}\n").keyPath());
        assertEquals("listeners.http.adress", failure("listeners:\n  http:\n    adress: x\n").keyPath());
        assertEquals("origins.max-waiter", failure("origins:\n  max-waiter: 1\n").keyPath());
        assertEquals("remap[0].target", failure("remap:\n  - target: internal:demo\n").keyPath());
        assertEquals("logs.acess", failure("logs:\n  acess: {}\n").keyPath());
        assertEquals("logs.access.rotate", failure("logs:\n  access:\n    rotate: 1d\n").keyPath());
    }

    @Test
    void topLevelKeysOfOtherModulesAndLogsSessionAreLeftAlone() {
        CoreConfig config = read("tls:\n  cert: x\nadmin: {port: 9}\nlogs:\n  session:\n    anything: [1, 2]\n");
        assertEquals(CoreConfig.defaults(), config);
        assertTrue(CoreConfigReader.TOP_LEVEL_KEYS.containsAll(List.of("listeners", "limits", "origins", "remap", "logs")));
    }

    @Test
    void remapRulesAreReadInOrder() {
        CoreConfig config = read(String.join("\n",
                "remap:",
                "  - host: API.example.com",
                "    path: /v1/",
                "    to: http://10.0.0.1:8081/api/",
                "  - host: example.com",
                "    to: http://backend",
                "  - to: internal:demo",
                ""));
        assertEquals(List.of(
                new RemapRule("api.example.com", "/v1/", URI.create("http://10.0.0.1:8081/api/")),
                new RemapRule("example.com", "/", URI.create("http://backend")),
                RemapRule.DEMO_CATCH_ALL), config.remap());
    }

    @Test
    void absentRemapIsTheDemoCatchAll() {
        assertEquals(List.of(RemapRule.DEMO_CATCH_ALL), read("limits: {}\n").remap());
    }

    @Test
    void emptyRemapListMeansNoRules() {
        assertEquals(List.of(), read("remap: []\n").remap());
    }

    @Test
    void remapTargetThatIsNotAUriNamesItsLine() {
        ConfigException e = failure("remap:\n  - to: internal:demo\n  - host: a\n    to: http://a b/\n");
        assertEquals(4, e.line());
        assertEquals("remap[1].to", e.keyPath());
        assertTrue(e.sentence().startsWith("not a URI"), e.sentence());
    }

    @Test
    void remapTargetRefusedByTheRecordNamesTheToKey() {
        ConfigException e = failure("remap:\n  - host: a\n    path: /\n    to: ftp://host/\n");
        assertEquals(4, e.line());
        assertEquals("remap[0].to", e.keyPath());
    }

    @Test
    void remapPathRefusedByTheRecordNamesThePathKey() {
        ConfigException e = failure("remap:\n  - host: a\n    path: v1\n    to: internal:demo\n");
        assertEquals(3, e.line());
        assertEquals("remap[0].path", e.keyPath());
    }

    @Test
    void httpsTargetsAndOriginTlsAreRead(@TempDir Path dir) throws Exception {
        Path ca = dir.resolve("origin-ca.pem");
        Path cert = dir.resolve("client.pem");
        Path key = dir.resolve("client.key");
        Files.writeString(ca, SELF_SIGNED_PEM);
        Files.writeString(cert, SELF_SIGNED_PEM);
        Files.writeString(key, "read by the gateway's PEM reader, not here");
        CoreConfig config = read(String.join("\n",
                "origins:",
                "  tls: {ca-file: " + ca + ", cert: " + cert + ", key: " + key + "}",
                "remap:",
                "  - {path: /secure, to: \"https://origin.example:8443/app\"}",
                ""));
        assertEquals(new OriginTlsConfig(ca, cert, key), config.origins().tls());
        assertTrue(config.remap().get(0).targetsTls());
        assertEquals(OriginTlsConfig.SYSTEM_TRUST, read("").origins().tls());
    }

    @Test
    void aClientCertificateWithoutItsKeyNamesTheCertKey(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("client.pem");
        Files.writeString(cert, SELF_SIGNED_PEM);
        ConfigException e = failure("origins:\n  tls:\n    cert: " + cert + "\n");
        assertTrue(e.getMessage().contains(":3: origins.tls.cert:"), e.getMessage());
    }

    @Test
    void aMissingOrNonCertificateOriginTlsFileStopsTheStartNamingItsKey(@TempDir Path dir) throws Exception {
        ConfigException missing = failure("origins:\n  tls:\n    ca-file: " + dir.resolve("nope.pem") + "\n");
        assertTrue(missing.getMessage().contains(":3: origins.tls.ca-file: no such file: "), missing.getMessage());
        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
        ConfigException notCert = failure("origins:\n  tls:\n    ca-file: " + garbage + "\n");
        assertTrue(notCert.getMessage().contains(":3: origins.tls.ca-file: not a certificate file: "),
                notCert.getMessage());
        ConfigException noKey = failure("origins:\n  tls:\n    cert: " + garbage + "\n    key: "
                + dir.resolve("client.key") + "\n");
        assertTrue(noKey.getMessage().contains(":4: origins.tls.key: no such file: "), noKey.getMessage());
    }

    @Test
    void remapRuleWithoutTargetIsRefused() {
        ConfigException e = failure("remap:\n  - host: a\n    path: /\n");
        assertEquals("gateway.yaml:2: remap[0].to: missing; this key is required", e.getMessage());
    }

    @Test
    void wrongTypeInACoreSectionNamesFileLineAndKey() {
        ConfigException e = failure("origins:\n  max-connections-per-origin: [1]\n");
        assertEquals("gateway.yaml:2: origins.max-connections-per-origin: expected a whole number, got a list",
                e.getMessage());
    }
}
