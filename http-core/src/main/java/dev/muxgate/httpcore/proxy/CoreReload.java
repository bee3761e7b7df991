package dev.muxgate.httpcore.proxy;

import dev.muxgate.httpcore.config.AccessLogConfig;
import dev.muxgate.httpcore.config.CoreConfig;
import dev.muxgate.httpcore.config.ListenerConfig;
import java.util.List;
import java.util.Objects;

/**
 * What of a reloaded core configuration a running core can take: everything but its plain
 * listener (a bound socket) and the access log's file (path, on/off, rotation, queue: the writer
 * thread holds them). Those keep their running values, and each one left as it was is named in a
 * note for the operator; remap, limits, origin settings and the access-log format and syntax apply.
 */
final class CoreReload {

    private CoreReload() {
    }

    /** {@code wanted} with the settings a reload cannot change put back to {@code running}'s. */
    static CoreConfig applicable(CoreConfig running, CoreConfig wanted, List<String> notes) {
        ListenerConfig l = running.listener();
        ListenerConfig w = wanted.listener();
        fixed(notes, "listeners.http.enabled", l.enabled(), w.enabled());
        fixed(notes, "listeners.http.host", l.host(), w.host());
        fixed(notes, "listeners.http.port", l.port(), w.port());
        AccessLogConfig a = running.accessLog();
        AccessLogConfig b = wanted.accessLog();
        fixed(notes, "logs.access.enabled", a.enabled(), b.enabled());
        fixed(notes, "logs.access.path", a.path(), b.path());
        fixed(notes, "logs.access.rotate-size", a.rotateBytes(), b.rotateBytes());
        fixed(notes, "logs.access.rotate-interval", a.rotateInterval(), b.rotateInterval());
        fixed(notes, "logs.access.keep", a.keepFiles(), b.keepFiles());
        fixed(notes, "logs.access.queue-lines", a.queueLines(), b.queueLines());
        fixed(notes, "logs.access.syslog", a.syslog(), b.syslog());
        AccessLogConfig log = a.withFormat(b.format()).withSyntax(b.syntax());
        return wanted.withListener(l).withAccessLog(log);
    }

    /** Notes a setting that stays as it runs when the file asks for another value. */
    static void fixed(List<String> notes, String key, Object running, Object wanted) {
        if (!Objects.equals(running, wanted)) {
            notes.add(key + ": a reload cannot change it; it stays " + running + " (the file says " + wanted
                    + ") until a restart");
        }
    }
}
