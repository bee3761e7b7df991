package dev.muxgate.gateway;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before the warm-up spends its seconds, that every configured fixed listener port can be
 * bound, so a second muxgate on the same ports fails at once with the reason. A port taken between
 * this check and the real bind still fails there, as before.
 */
final class ListenerPortProbe {

    private ListenerPortProbe() {
    }

    /** Throws the first bind failure, naming the listener. */
    static void check(GatewayConfig config) throws IOException {
        List<Listener> listeners = new ArrayList<>();
        if (config.tls().enabled()) {
            listeners.add(new Listener("TLS listener", config.tls().host(), config.tls().port()));
        }
        if (config.core().listener().enabled()) {
            listeners.add(new Listener("core HTTP listener", config.core().listener().host(),
                    config.core().listener().port()));
        }
        if (config.admin().enabled()) {
            listeners.add(new Listener("admin listener", config.admin().host(), config.admin().port()));
        }
        for (Listener listener : listeners) {
            if (listener.port() == 0) {
                continue;
            }
            try (ServerSocket probe = new ServerSocket()) {
                // As the listeners bind: a port in TIME_WAIT is not taken.
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(listener.host(), listener.port()));
            } catch (IOException e) {
                throw new java.net.BindException(listener.name() + " " + listener.host() + ':' + listener.port()
                        + ": " + e.getMessage());
            }
        }
    }

    private record Listener(String name, String host, int port) {
    }
}
