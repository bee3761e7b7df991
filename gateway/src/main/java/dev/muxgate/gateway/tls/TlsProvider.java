package dev.muxgate.gateway.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Objects;

/**
 * The TLS implementation the front end uses: OpenSSL (BoringSSL from netty-tcnative) when it loads
 * and the configuration allows it, the JDK's otherwise. OpenSSL also offers NPN beside ALPN, for
 * SPDY clients that predate ALPN; the JDK offers ALPN only.
 */
public final class TlsProvider {

    private final SslProvider sslProvider;
    private final String description;

    private TlsProvider(SslProvider sslProvider, String description) {
        this.sslProvider = sslProvider;
        this.description = description;
    }

    /**
     * The provider for {@code requested}: {@code openssl} that does not load is a
     * {@link TlsSetupException} naming why; {@code auto} falls back to the JDK.
     */
    public static TlsProvider choose(TlsConfig.Provider requested) {
        Objects.requireNonNull(requested, "requested");
        if (requested != TlsConfig.Provider.JDK && OpenSsl.isAvailable()) {
            return openSsl();
        }
        if (requested == TlsConfig.Provider.OPENSSL) {
            Throwable cause = OpenSsl.unavailabilityCause();
            throw new TlsSetupException("tls.provider is openssl, but OpenSSL (netty-tcnative) does not load here: "
                    + (cause == null ? "unknown reason" : cause.toString())
                    + "; use provider: auto or jdk", cause);
        }
        String why = requested == TlsConfig.Provider.JDK ? "as configured" : "OpenSSL does not load here";
        return new TlsProvider(SslProvider.JDK, "TLS provider JDK (" + System.getProperty("java.vendor") + " "
                + System.getProperty("java.version") + ", " + why + "; ALPN only, no NPN)");
    }

    private static TlsProvider openSsl() {
        String tcnative = io.netty.internal.tcnative.SSL.class.getPackage().getImplementationVersion();
        return new TlsProvider(SslProvider.OPENSSL_REFCNT, "TLS provider OpenSSL (" + OpenSsl.versionString()
                + (tcnative == null ? "" : ", netty-tcnative " + tcnative) + "; ALPN and NPN)");
    }

    /** Netty's name for it, for SslContextBuilder. */
    public SslProvider sslProvider() {
        return sslProvider;
    }

    /** Whether this is OpenSSL (netty-tcnative). */
    public boolean isOpenSsl() {
        return sslProvider != SslProvider.JDK;
    }

    /** The negotiation extensions offered: ALPN and NPN with OpenSSL, ALPN alone with the JDK. */
    public ApplicationProtocolConfig.Protocol negotiation() {
        return isOpenSsl() ? ApplicationProtocolConfig.Protocol.NPN_AND_ALPN : ApplicationProtocolConfig.Protocol.ALPN;
    }

    /** One line for the start-up output, e.g. {@code TLS provider OpenSSL (BoringSSL, ...)}. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return description;
    }
}
