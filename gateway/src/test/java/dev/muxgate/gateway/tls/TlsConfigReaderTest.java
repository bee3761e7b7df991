package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsConfigReaderTest {

    private static TlsConfig read(String yaml) {
        return TlsConfigReader.read(ConfigDocument.parse("conf/gateway.yaml", yaml).root().optionalSection("tls"));
    }

    private static ConfigException refused(String yaml) {
        return assertThrows(ConfigException.class, () -> read(yaml));
    }

    @Test
    void anAbsentSectionGivesTheDefaults() {
        assertEquals(TlsConfig.defaults(), read("listeners: {}\n"));
        assertEquals(TlsConfig.defaults(), read("tls:\n"));
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        TlsConfig d = TlsConfig.defaults();
        assertEquals(true, d.enabled());
        assertEquals("0.0.0.0", d.host());
        assertEquals(8443, d.port());
        assertEquals(List.of("h2", "spdy/3.1", "spdy/3", "http/1.1"), d.protocols());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), d.versions());
        assertEquals(TlsConfig.Provider.AUTO, d.provider());
        assertEquals(Duration.ofSeconds(10), d.handshakeTimeout());
        assertEquals(Path.of("var/state"), d.stateDir());
        assertEquals(List.of(), d.certificates());
    }

    @Test
    void everyKeyIsRead() {
        TlsConfig config = read("tls:\n"
                + "  enabled: false\n"
                + "  host: 127.0.0.1\n"
                + "  port: 9443\n"
                + "  protocols: [http/1.1, h2]\n"
                + "  versions:\n"
                + "    - TLSv1.3\n"
                + "  provider: jdk\n"
                + "  handshake-timeout: 3s\n"
                + "  state-dir: /tmp/state\n"
                + "  certificates:\n"
                + "    - names: [example.com, \"*.Example.com\"]\n"
                + "      cert: a.crt\n"
                + "      key: a.key\n"
                + "    - names: [other.test]\n"
                + "      cert: b.pem\n"
                + "      key: b.pem\n");
        assertEquals(new TlsConfig(false, "127.0.0.1", 9443, List.of("http/1.1", "h2"), List.of("TLSv1.3"),
                TlsConfig.Provider.JDK, Duration.ofSeconds(3), Path.of("/tmp/state"), List.of(
                        new TlsConfig.CertificateEntry(List.of("example.com", "*.example.com"),
                                Path.of("a.crt"), Path.of("a.key")),
                        new TlsConfig.CertificateEntry(List.of("other.test"), Path.of("b.pem"), Path.of("b.pem"))),
                SessionTicketConfig.defaults()),
                config);
    }

    @Test
    void aCommaSeparatedListIsReadToo() {
        assertEquals(List.of("h2", "http/1.1"), read("tls:\n  protocols: h2, http/1.1\n").protocols());
    }

    @Test
    void unknownKeysAreRefusedWithFileLineAndKey() {
        ConfigException e = refused("tls:\n  port: 8443\n  protocol: [h2]\n");
        assertEquals("conf/gateway.yaml:3: tls.protocol: unknown key, did you mean protocols?", e.getMessage());
        e = refused("tls:\n  certificates:\n    - names: [a.test]\n      cert: a\n      key: b\n      chain: c\n");
        assertEquals("tls.certificates[0].chain", e.keyPath());
        assertEquals(6, e.line());
    }

    @Test
    void onlyTheFourProtocolsAreAccepted() {
        ConfigException e = refused("tls:\n  protocols: [h2, h3]\n");
        assertEquals("conf/gateway.yaml:2: tls.protocols: unknown name \"h3\"; expected names from "
                + "h2, spdy/3.1, spdy/3, http/1.1", e.getMessage());
        assertEquals("tls.protocols", refused("tls:\n  protocols: []\n").keyPath());
        assertEquals("tls.protocols", refused("tls:\n  protocols: [h2, h2]\n").keyPath());
        assertEquals(3, refused("tls:\n  protocols:\n    - {a: b}\n").line());
    }

    @Test
    void onlyTls12And13AreAccepted() {
        ConfigException e = refused("tls:\n  versions: [TLSv1.1, TLSv1.2]\n");
        assertEquals("conf/gateway.yaml:2: tls.versions: unknown name \"TLSv1.1\"; expected names from "
                + "TLSv1.3, TLSv1.2", e.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("conf/gateway.yaml:2: tls.provider: expected auto, openssl or jdk, got \"boringssl\"",
                refused("tls:\n  provider: boringssl\n").getMessage());
        assertEquals("tls.port", refused("tls:\n  port: 70000\n").keyPath());
        assertEquals("tls.enabled", refused("tls:\n  enabled: yes\n").keyPath());
        assertEquals("tls.handshake-timeout", refused("tls:\n  handshake-timeout: 10\n").keyPath());
        assertEquals("tls.handshake-timeout", refused("tls:\n  handshake-timeout: 0\n").keyPath());
        assertEquals("tls.host", refused("tls:\n  host: \"\"\n").keyPath());
    }

    @Test
    void certificateEntriesAreChecked() {
        assertEquals("conf/gateway.yaml:3: tls.certificates[0].cert: missing; this key is required",
                refused("tls:\n  certificates:\n    - names: [a.test]\n      key: a.key\n").getMessage());
        assertEquals("tls.certificates[0].names",
                refused("tls:\n  certificates:\n    - cert: a\n      key: b\n").keyPath());
        assertEquals("conf/gateway.yaml:3: tls.certificates[0].names: \"a..test\" is not a host name or a "
                + "*.domain wildcard",
                refused("tls:\n  certificates:\n    - names: [a..test]\n      cert: a\n      key: b\n").getMessage());
        assertEquals("tls.certificates[0].names",
                refused("tls:\n  certificates:\n    - names: [\"*.*.test\"]\n      cert: a\n      key: b\n").keyPath());
        ConfigException twice = refused("tls:\n  certificates:\n"
                + "    - names: [a.test]\n      cert: a\n      key: b\n"
                + "    - names: [A.test]\n      cert: c\n      key: d\n");
        assertEquals("conf/gateway.yaml:6: tls.certificates[1].names: \"a.test\" is already served by "
                + "tls.certificates[0]", twice.getMessage());
    }
}
