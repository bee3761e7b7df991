package dev.muxgate.gateway.tls;

import dev.muxgate.httpcore.balancer.ProxyProtocolConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The {@code tls:} section of {@code conf/gateway.yaml}: where the TLS front end listens, what it
 * negotiates (ALPN/NPN protocols in preference order, TLS versions), which TLS implementation it
 * uses, and which certificate it shows for each SNI name. Built by {@link TlsConfigReader} or
 * {@link #defaults()}, validated when built.
 *
 * @param enabled           whether the TLS listener opens
 * @param host              the address to bind
 * @param port              the port to bind
 * @param protocols         ALPN (and NPN) protocol names, most preferred first; a subset of
 *                          {@link #KNOWN_PROTOCOLS}
 * @param versions          TLS versions offered; a subset of {@link #KNOWN_VERSIONS}
 * @param provider          which TLS implementation to use
 * @param handshakeTimeout  from accept to the end of the TLS handshake
 * @param stateDir          where the generated self-signed certificate is kept
 * @param certificates      certificates by SNI name; the first is also the default (no SNI or an
 *                          unknown name); empty means a generated self-signed certificate
 * @param sessionTickets    resumption by session tickets, and where their keys come from
 * @param proxyProtocol     whether connections start with a PROXY protocol header from a balancer
 */
public record TlsConfig(
        boolean enabled,
        String host,
        int port,
        List<String> protocols,
        List<String> versions,
        Provider provider,
        Duration handshakeTimeout,
        Path stateDir,
        List<CertificateEntry> certificates,
        SessionTicketConfig sessionTickets,
        ProxyProtocolConfig proxyProtocol) {

    /** The protocols the gateway can serve, in the default preference order. */
    public static final List<String> KNOWN_PROTOCOLS = List.of("h2", "spdy/3.1", "spdy/3", "http/1.1");
    /** The TLS versions the gateway may offer; nothing older than 1.2 (RFC 8996, RFC 9113 9.2). */
    public static final List<String> KNOWN_VERSIONS = List.of("TLSv1.3", "TLSv1.2");

    /** Which TLS implementation serves the handshakes. */
    public enum Provider {
        /** OpenSSL (BoringSSL from netty-tcnative) when it loads, the JDK's otherwise. */
        AUTO,
        /** OpenSSL only; start-up fails when it does not load. */
        OPENSSL,
        /** The JDK's own TLS (no NPN). */
        JDK
    }

    /**
     * One certificate with the SNI names it serves.
     *
     * @param names host names or {@code *.domain} wildcards, lower case
     * @param cert  PEM file with the certificate chain, leaf first
     * @param key   PEM file with the unencrypted private key of the leaf
     */
    public record CertificateEntry(List<String> names, Path cert, Path key) {
        public CertificateEntry {
            names = List.copyOf(names);
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }

    public TlsConfig {
        Objects.requireNonNull(host, "host");
        protocols = List.copyOf(protocols);
        versions = List.copyOf(versions);
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(stateDir, "stateDir");
        certificates = List.copyOf(certificates);
        Objects.requireNonNull(sessionTickets, "sessionTickets");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
        }
        if (protocols.isEmpty() || !KNOWN_PROTOCOLS.containsAll(protocols)
                || protocols.stream().distinct().count() != protocols.size()) {
            throw new IllegalArgumentException("protocols must be distinct names from " + KNOWN_PROTOCOLS
                    + ": " + protocols);
        }
        if (versions.isEmpty() || !KNOWN_VERSIONS.containsAll(versions)
                || versions.stream().distinct().count() != versions.size()) {
            throw new IllegalArgumentException("versions must be distinct names from " + KNOWN_VERSIONS
                    + ": " + versions);
        }
        if (handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("handshakeTimeout must be positive: " + handshakeTimeout);
        }
    }

    /** A listener without the PROXY protocol. */
    public TlsConfig(boolean enabled, String host, int port, List<String> protocols, List<String> versions,
                     Provider provider, Duration handshakeTimeout, Path stateDir, List<CertificateEntry> certificates,
                     SessionTicketConfig sessionTickets) {
        this(enabled, host, port, protocols, versions, provider, handshakeTimeout, stateDir, certificates,
                sessionTickets, ProxyProtocolConfig.off());
    }

    /** The defaults, as written in {@code conf/gateway.yaml}. */
    public static TlsConfig defaults() {
        return new TlsConfig(true, "0.0.0.0", 8443, KNOWN_PROTOCOLS, KNOWN_VERSIONS, Provider.AUTO,
                Duration.ofSeconds(10), Path.of("var/state"), List.of(), SessionTicketConfig.defaults());
    }

    /** A copy listening on {@code host:port}; for tests and tools. */
    public TlsConfig withListener(String newHost, int newPort) {
        return new TlsConfig(enabled, newHost, newPort, protocols, versions, provider, handshakeTimeout,
                stateDir, certificates, sessionTickets, proxyProtocol);
    }

    /** A copy with another provider choice. */
    public TlsConfig withProvider(Provider newProvider) {
        return new TlsConfig(enabled, host, port, protocols, versions, newProvider, handshakeTimeout,
                stateDir, certificates, sessionTickets, proxyProtocol);
    }

    /** A copy with another state directory. */
    public TlsConfig withStateDir(Path newStateDir) {
        return new TlsConfig(enabled, host, port, protocols, versions, provider, handshakeTimeout,
                newStateDir, certificates, sessionTickets, proxyProtocol);
    }

    /** A copy with other certificates. */
    public TlsConfig withCertificates(List<CertificateEntry> newCertificates) {
        return new TlsConfig(enabled, host, port, protocols, versions, provider, handshakeTimeout,
                stateDir, newCertificates, sessionTickets, proxyProtocol);
    }

    /** A copy with other session ticket settings. */
    public TlsConfig withSessionTickets(SessionTicketConfig newSessionTickets) {
        return new TlsConfig(enabled, host, port, protocols, versions, provider, handshakeTimeout,
                stateDir, certificates, newSessionTickets, proxyProtocol);
    }

    /** A copy with other protocols. */
    public TlsConfig withProtocols(List<String> newProtocols) {
        return new TlsConfig(enabled, host, port, newProtocols, versions, provider, handshakeTimeout,
                stateDir, certificates, sessionTickets, proxyProtocol);
    }

    /** A copy with another PROXY protocol setting. */
    public TlsConfig withProxyProtocol(ProxyProtocolConfig newProxyProtocol) {
        return new TlsConfig(enabled, host, port, protocols, versions, provider, handshakeTimeout,
                stateDir, certificates, sessionTickets, newProxyProtocol);
    }
}
