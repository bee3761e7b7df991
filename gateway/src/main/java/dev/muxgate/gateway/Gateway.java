package dev.muxgate.gateway;

import dev.muxgate.httpcore.proxy.ProxyCore;
import java.util.ArrayList;
import java.util.List;

/**
 * The running gateway: today the proxy core and its plain listener; the TLS front end and the
 * session layer attach here. Wired from a {@link GatewayConfig}, no globals, so tests can run
 * several in one JVM.
 */
public final class Gateway implements AutoCloseable {

    private final GatewayConfig config;
    private final ProxyCore core;

    private Gateway(GatewayConfig config, ProxyCore core) {
        this.config = config;
        this.core = core;
    }

    public static Gateway start(GatewayConfig config) throws InterruptedException {
        return new Gateway(config, ProxyCore.builder(config.core()).start());
    }

    public ProxyCore core() {
        return core;
    }

    List<String> startupReport() {
        List<String> lines = new ArrayList<>();
        lines.add("config " + config.source());
        lines.add("transport " + core.transport().name());
        if (core.listening()) {
            lines.add("core HTTP listener on " + core.listenAddress().getHostString() + ':'
                    + core.listenAddress().getPort());
        } else {
            lines.add("core HTTP listener disabled (plugin connections only)");
        }
        config.core().remap().forEach(rule -> lines.add(
                "remap " + rule.host() + rule.pathPrefix() + " -> " + rule.target()));
        lines.add(config.core().accessLog().enabled()
                ? "access log " + config.core().accessLog().path() : "access log off");
        lines.add("ready");
        return lines;
    }

    @Override
    public void close() {
        core.close();
    }
}
