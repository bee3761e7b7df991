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
 * (every key format it takes, the key checked against the certificate). Start-up only: file I/O.
 */
public final class OriginTls {

    private OriginTls() {
    }

    /**
     * A remap rule needs TLS, or files are configured (read at start-up even if no rule uses them
     * yet, so a bad file stops the start rather than a later request).
     */
    public static boolean wanted(CoreConfig core) {
        OriginTlsConfig tls = core.origins().tls();
        return tls.caFile() != null || tls.hasClientCertificate()
                || core.remap().stream().anyMatch(RemapRule::targetsTls);
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
