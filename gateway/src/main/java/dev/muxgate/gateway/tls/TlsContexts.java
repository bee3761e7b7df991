package dev.muxgate.gateway.tls;

import io.netty.buffer.ByteBuf;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * The server {@link SslContext}s of the front end, one per certificate, and the SNI mapping from
 * host name to context (the first certificate answers clients without SNI or with an unknown name).
 * Every context offers the configured TLS versions only, the ciphers HTTP/2 allows with TLS 1.2
 * (RFC 9113 section 9.2.2), and the configured protocols by ALPN, and by NPN too with OpenSSL.
 * Owns the contexts: {@link #close()} releases them (OpenSSL's hold native memory).
 */
public final class TlsContexts implements AutoCloseable {

    private final TlsProvider provider;
    private final List<ServerCertificate> certificates;
    private final List<SslContext> contexts;
    private final Mapping<String, CertificateChoice> choices;
    private final Mapping<String, SslContext> sniMapping;
    private boolean closed;

    private TlsContexts(TlsProvider provider, List<ServerCertificate> certificates, List<SslContext> contexts) {
        this.provider = provider;
        this.certificates = List.copyOf(certificates);
        this.contexts = List.copyOf(contexts);
        // Certificates for the same names pair up by key kind; the first set of names is the default.
        Map<Set<String>, CertificateChoice> byNames = new LinkedHashMap<>();
        for (int i = 0; i < certificates.size(); i++) {
            ServerCertificate certificate = certificates.get(i);
            Set<String> names = Set.copyOf(certificate.names());
            CertificateChoice prior = byNames.get(names);
            boolean rsa = certificate.requiredSignatureScheme() < 0;
            if (prior != null && (rsa ? prior.fallback() != null : prior.preferred() != null)) {
                throw new TlsSetupException("tls.certificates[" + i + "]: a second " + (rsa ? "RSA" : "ECDSA")
                        + " certificate for " + (names.isEmpty() ? "the default" : String.join(", ", names))
                        + "; each set of names takes at most one of each key kind");
            }
            SslContext context = contexts.get(i);
            CertificateChoice choice = rsa
                    ? new CertificateChoice(prior == null ? null : prior.preferred(),
                            prior == null ? -1 : prior.preferredScheme(), context)
                    : new CertificateChoice(context, certificate.requiredSignatureScheme(),
                            prior == null ? null : prior.fallback());
            byNames.put(names, choice);
        }
        CertificateChoice fallback = byNames.values().iterator().next();
        DomainWildcardMappingBuilder<CertificateChoice> choiceMapping =
                new DomainWildcardMappingBuilder<>(byNames.size() + 1, fallback);
        DomainWildcardMappingBuilder<SslContext> contextMapping =
                new DomainWildcardMappingBuilder<>(byNames.size() + 1, fallback.any());
        byNames.forEach((names, choice) -> names.forEach(name -> {
            choiceMapping.add(name, choice);
            contextMapping.add(name, choice.any());
        }));
        this.choices = choiceMapping.build();
        this.sniMapping = contextMapping.build();
    }

    /**
     * Reads the configured certificates (or the self-signed one kept in the state directory, made
     * when missing) and builds their contexts. Blocking file I/O: start-up only.
     */
    public static TlsContexts load(TlsConfig config, TlsProvider provider, Clock clock) {
        List<ServerCertificate> certificates = new ArrayList<>();
        if (config.certificates().isEmpty()) {
            certificates.addAll(SelfSignedCertificate.loadOrGenerateAll(config.stateDir(), clock));
        } else {
            for (int i = 0; i < config.certificates().size(); i++) {
                TlsConfig.CertificateEntry entry = config.certificates().get(i);
                try {
                    certificates.add(PemFiles.read(entry.names(), entry.cert(), entry.key()));
                } catch (TlsSetupException e) {
                    throw new TlsSetupException("tls.certificates[" + i + "]: " + e.getMessage(), e);
                }
            }
        }
        return build(config, provider, certificates);
    }

    /** Builds the contexts for certificates already in memory; the first is the default. */
    public static TlsContexts build(TlsConfig config, TlsProvider provider, List<ServerCertificate> certificates) {
        if (certificates.isEmpty()) {
            throw new IllegalArgumentException("at least one certificate is needed");
        }
        List<SslContext> contexts = new ArrayList<>(certificates.size());
        boolean success = false;
        try {
            for (ServerCertificate certificate : certificates) {
                contexts.add(newContext(config, provider, certificate));
            }
            // Inside the guard: pairing the certificates may still refuse them.
            TlsContexts built = new TlsContexts(provider, certificates, contexts);
            success = true;
            return built;
        } finally {
            if (!success) {
                contexts.forEach(ReferenceCountUtil::release);
            }
        }
    }

    static SslContext newContext(TlsConfig config, TlsProvider provider, ServerCertificate certificate) {
        ApplicationProtocolConfig negotiation = new ApplicationProtocolConfig(
                provider.negotiation(),
                // No protocol in common must end in ALPN's no_application_protocol alert (RFC 7301
                // section 3.2). The JDK sends it for FATAL_ALERT. netty-tcnative cannot fail the
                // handshake from its ALPN callback (it answers NOACK at best), so with OpenSSL the
                // alert is sent before the handshake by AlpnCheckingSniHandler, which reads the
                // ClientHello first; NO_ADVERTISE keeps the context itself from picking a protocol
                // the client did not offer (CHOOSE_MY_LAST_PROTOCOL would).
                provider.isOpenSsl() ? SelectorFailureBehavior.NO_ADVERTISE : SelectorFailureBehavior.FATAL_ALERT,
                SelectedListenerFailureBehavior.ACCEPT,
                config.protocols());
        try {
            SslContext context = SslContextBuilder.forServer(certificate.key(), certificate.chainArray())
                    .sslProvider(provider.sslProvider())
                    .protocols(config.versions())
                    // TLS 1.2 suites HTTP/2 accepts (ECDHE + AEAD), plus the TLS 1.3 ones; those the
                    // provider lacks are dropped.
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(negotiation)
                    .build();
            if (config.sessionTickets().enabled()
                    && context.sessionContext() instanceof OpenSslSessionContext sessions) {
                // Tickets resume without server state. Netty's server cache would otherwise keep
                // up to 20,480 sessions (Java map plus native SSL_SESSION) for 5 minutes, which
                // measured as about a third of an idle session's memory, only for TLS 1.2 clients
                // that resume by session id; nginx keeps none by default either.
                sessions.setSessionCacheEnabled(false);
            }
            return context;
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsSetupException("cannot build a TLS context for " + certificate.source() + " with "
                    + provider.description() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Host name (SNI) to the context of its preferred key kind; {@code null} and unknown names give
     * the default. For Netty's SniHandler, which needs one; {@link #choose} is what picks per client.
     */
    public Mapping<String, SslContext> sniMapping() {
        return sniMapping;
    }

    /**
     * The context for a client: by its SNI name ({@code null} or unknown: the default), then by the
     * signature schemes its ClientHello lists (ECDSA when it can verify it, RSA otherwise).
     */
    public SslContext choose(String hostname, ByteBuf clientHello) {
        return choices.map(hostname).pick(clientHello);
    }

    /** Every context, in certificate order. */
    List<SslContext> all() {
        return contexts;
    }

    /** The context of the first certificate. */
    public SslContext defaultContext() {
        return contexts.get(0);
    }

    /** The certificates, in configuration order (the default first). */
    public List<ServerCertificate> certificates() {
        return certificates;
    }

    public TlsProvider provider() {
        return provider;
    }

    /** Lines for the start-up output: the provider, then each certificate. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add(provider.description());
        for (ServerCertificate certificate : certificates) {
            lines.add("TLS certificate " + certificate.describe());
        }
        return lines;
    }

    /** Releases the contexts; connections still open keep theirs until they close. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        contexts.forEach(ReferenceCountUtil::release);
    }
}
