package dev.muxgate.gateway.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.Test;

class TlsProviderTest {

    @Test
    void autoChoosesOpenSslWhenTcnativeLoads() {
        assertTrue(OpenSsl.isAvailable(), "netty-tcnative-boringssl-static should load on linux-x86_64");
        TlsProvider provider = TlsProvider.choose(TlsConfig.Provider.AUTO);
        assertTrue(provider.isOpenSsl());
        assertEquals(SslProvider.OPENSSL_REFCNT, provider.sslProvider());
        assertEquals(ApplicationProtocolConfig.Protocol.NPN_AND_ALPN, provider.negotiation());
        assertTrue(provider.description().startsWith("TLS provider OpenSSL (BoringSSL, netty-tcnative 2.0."),
                provider.description());
    }

    @Test
    void jdkIsUsedWhenAskedFor() {
        TlsProvider provider = TlsProvider.choose(TlsConfig.Provider.JDK);
        assertFalse(provider.isOpenSsl());
        assertEquals(ApplicationProtocolConfig.Protocol.ALPN, provider.negotiation());
        assertTrue(provider.description().startsWith("TLS provider JDK ("), provider.description());
    }
}
