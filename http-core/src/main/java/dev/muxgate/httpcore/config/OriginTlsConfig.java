package dev.muxgate.httpcore.config;

import java.nio.file.Path;

/**
 * How the core verifies and identifies itself to {@code https://} origins. Certificates are always
 * verified, host name included; {@code caFile} replaces the system's CA store when set. A client
 * certificate is optional and needs both files.
 *
 * @param caFile   PEM certificates to trust instead of the system's CA store, or null
 * @param certFile PEM client certificate chain, or null
 * @param keyFile  PEM private key of that certificate, or null
 */
public record OriginTlsConfig(Path caFile, Path certFile, Path keyFile) {

    public static final OriginTlsConfig SYSTEM_TRUST = new OriginTlsConfig(null, null, null);

    public OriginTlsConfig {
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("cert and key go together: a client certificate needs both");
        }
    }

    public boolean hasClientCertificate() {
        return certFile != null;
    }
}
