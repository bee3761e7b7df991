package dev.muxgate.gateway;

import dev.muxgate.gateway.session.SessionLogConfig;
import dev.muxgate.gateway.tls.TlsConfig;
import java.util.List;
import java.util.Objects;

/**
 * What of a reloaded gateway configuration a running gateway can take. A bound socket, the state
 * directory, the TLS provider, the node id (it is in every session number handed out), the
 * session log's file and the warm-up (done before the listeners opened) stay as they run, each
 * one named in a note; the core says the same of its own ({@code ProxyCore.reconfigure}). The rest
 * applies to connections accepted after the reload: certificates and SNI names, TLS protocols and
 * versions, handshake time-out, session-ticket settings, h2 and SPDY limits, connection caps,
 * shutdown grace, the session log's syntax, and the core's remap, limits, origins and log format.
 */
final class GatewayReload {

    private GatewayReload() {
    }

    /** {@code wanted} with the settings a reload cannot change put back to {@code running}'s. */
    static GatewayConfig applicable(GatewayConfig running, GatewayConfig wanted, List<String> notes) {
        TlsConfig t = running.tls();
        TlsConfig w = wanted.tls();
        fixed(notes, "tls.enabled", t.enabled(), w.enabled());
        fixed(notes, "tls.host", t.host(), w.host());
        fixed(notes, "tls.port", t.port(), w.port());
        fixed(notes, "tls.provider", t.provider(), w.provider());
        fixed(notes, "tls.state-dir", t.stateDir(), w.stateDir());
        TlsConfig tls = new TlsConfig(t.enabled(), t.host(), t.port(), w.protocols(), w.versions(), t.provider(),
                w.handshakeTimeout(), t.stateDir(), w.certificates(), w.sessionTickets());
        fixed(notes, "admin.enabled", running.admin().enabled(), wanted.admin().enabled());
        fixed(notes, "admin.host", running.admin().host(), wanted.admin().host());
        fixed(notes, "admin.port", running.admin().port(), wanted.admin().port());
        fixed(notes, "node-id", running.nodeId(), wanted.nodeId());
        fixed(notes, "warm-up.requests", running.warmUp().requests(), wanted.warmUp().requests());
        fixed(notes, "warm-up.handshakes", running.warmUp().handshakes(), wanted.warmUp().handshakes());
        fixed(notes, "warm-up.max-time", running.warmUp().maxTime(), wanted.warmUp().maxTime());
        SessionLogConfig s = running.sessionLog();
        SessionLogConfig v = wanted.sessionLog();
        fixed(notes, "logs.session.enabled", s.enabled(), v.enabled());
        fixed(notes, "logs.session.path", s.path(), v.path());
        fixed(notes, "logs.session.rotate-size", s.rotateBytes(), v.rotateBytes());
        fixed(notes, "logs.session.rotate-interval", s.rotateInterval(), v.rotateInterval());
        fixed(notes, "logs.session.keep", s.keepFiles(), v.keepFiles());
        fixed(notes, "logs.session.queue-lines", s.queueLines(), v.queueLines());
        fixed(notes, "logs.session.syslog", s.syslog(), v.syslog());
        return new GatewayConfig(wanted.source(), wanted.core(), tls, wanted.h2(), running.nodeId(),
                wanted.shutdownGrace(), s.withSyntax(v.syntax()), running.admin(), wanted.spdy(), running.warmUp(),
                wanted.connections());
    }

    private static void fixed(List<String> notes, String key, Object running, Object wanted) {
        if (!Objects.equals(running, wanted)) {
            notes.add(key + ": a reload cannot change it; it stays " + running + " (the file says " + wanted
                    + ") until a restart");
        }
    }
}
