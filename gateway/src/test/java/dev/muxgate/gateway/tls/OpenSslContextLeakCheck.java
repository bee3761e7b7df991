package dev.muxgate.gateway.tls;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes a forgotten {@code close()} of OpenSSL contexts fail the test class: Netty reports a leaked
 * ReferenceCountedOpenSslContext only when another one is created after the garbage collection,
 * and the shared leak check allocates buffers only. Runs before that check (it is registered
 * later, so its afterAll comes first), which then fails the class on the report.
 */
final class OpenSslContextLeakCheck implements AfterAllCallback {

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        ServerCertificate certificate = SelfSignedCertificate.generate(Instant.now());
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
            SslContext probe = SslContextBuilder.forServer(certificate.key(), certificate.chainArray())
                    .sslProvider(SslProvider.OPENSSL_REFCNT).build();
            ReferenceCountUtil.release(probe);
        }
    }
}
