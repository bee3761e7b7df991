package dev.muxgate.httpcore.origin;

import java.util.Locale;
import java.util.Objects;

/** One origin server as the pool knows it: scheme-less host and port, or the built-in demo. */
public record OriginKey(String host, int port, boolean demo) {

    public static final OriginKey DEMO = new OriginKey("demo.internal", 0, true);

    public OriginKey {
        Objects.requireNonNull(host, "host");
        host = host.toLowerCase(Locale.ROOT);
    }

    public static OriginKey of(String host, int port) {
        return new OriginKey(host, port, false);
    }

    /** The Host header value an origin expects: the port only when it is not 80. */
    public String hostHeader() {
        if (demo || port == 80) {
            return host;
        }
        return host.indexOf(':') >= 0 ? '[' + host + "]:" + port : host + ':' + port;
    }

    @Override
    public String toString() {
        return demo ? "internal:demo" : hostHeader();
    }
}
