package dev.muxgate.gateway.tls;

import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.OriginTlsConfig;
import dev.muxgate.httpcore.config.RemapRule;
import dev.muxgate.httpcore.origin.OriginTlsContexts;
import io.netty.handler.ssl.SslContext;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The core's client TLS context for {@code https://} origins, from {@code origins.tls}: the CA file
 * and the client certificate are read with the same PEM reader as the front end's certificates
 * (every key format it takes, the key checked against the certificate). File I/O: at start and on
 * reload, never on an event loop.
 */
public final class OriginTls {

    private OriginTls() {
    }

    public static SslContext context(OriginTlsConfig config) {
        List<X509Certificate> trusted = config.caFile() == null ? List.of() : PemFiles.readChain(config.caFile());
        List<X509Certificate> chain = List.of();
        PrivateKey key = null;
        if (config.hasClientCertificate()) {
            ServerCertificate client = PemFiles.read(List.of(), config.certFile(), config.keyFile());
            chain = client.chain();
            key = client.key();
        }
        try {
            return OriginTlsContexts.build(trusted, chain, key);
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("origins.tls: " + e.getMessage(), e);
        }
    }
}
