package dev.muxgate.httpcore.origin;

import dev.muxgate.httpcore.config.OriginTlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Builds the client TLS context for {@code https://} origins: TLS 1.3 and 1.2, certificates
 * verified with the host name (HTTPS endpoint identification), against the given CA certificates
 * or, when there are none, the JDK's trust store (on Debian, the system's CA store), plus an
 * optional client certificate. No ALPN: the core speaks HTTP/1.1 to origins.
 */
public final class OriginTlsContexts {

    private OriginTlsContexts() {
    }

    /**
     * @param trusted     CA certificates to trust; empty for the system's store
     * @param clientChain client certificate chain, or empty
     * @param clientKey   its key, or null
     */
    public static SslContext build(List<X509Certificate> trusted, List<X509Certificate> clientChain,
                                   PrivateKey clientKey) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm("HTTPS");
        if (!trusted.isEmpty()) {
            builder.trustManager(trusted.toArray(X509Certificate[]::new));
        }
        if (clientKey != null) {
            builder.keyManager(clientKey, clientChain.toArray(X509Certificate[]::new));
        }
        return builder.build();
    }

    /**
     * The context {@code config} describes, with Netty's own PEM reading (PKCS#8 keys): for a core
     * used on its own. The gateway reads the files with its PEM reader and calls
     * {@link #build(List, List, PrivateKey)}.
     */
    public static SslContext fromConfig(OriginTlsConfig config) throws SSLException {
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .endpointIdentificationAlgorithm("HTTPS");
        if (config.caFile() != null) {
            builder.trustManager(config.caFile().toFile());
        }
        if (config.hasClientCertificate()) {
            builder.keyManager(config.certFile().toFile(), config.keyFile().toFile());
        }
        return builder.build();
    }
}
