package dev.muxgate.httpcore.origin;

import java.util.Locale;
import java.util.Objects;

/**
 * One origin server as the pool knows it: host, port and whether it speaks TLS (so an http and an
 * https origin on one host never share a connection), or the built-in demo.
 */
public record OriginKey(String host, int port, boolean demo, boolean tls) {

    public static final OriginKey DEMO = new OriginKey("demo.internal", 0, true, false);

    public OriginKey {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
    }

    public static OriginKey of(String host, int port) {
        return new OriginKey(host, port, false, false);
    }

    /** An origin reached over TLS. */
    public static OriginKey tls(String host, int port) {
        return new OriginKey(host, port, false, true);
    }

    /** The Host header value an origin expects: the port only when it is not the scheme's default. */
    public String hostHeader() {
        if (demo || port == (tls ? 443 : 80)) {
            return host;
        }
        return host.indexOf(':') >= 0 ? '[' + host + "]:" + port : host + ':' + port;
    }

    @Override
    public String toString() {
        return demo ? "internal:demo" : tls ? "https://" + hostHeader() : hostHeader();
    }
}
