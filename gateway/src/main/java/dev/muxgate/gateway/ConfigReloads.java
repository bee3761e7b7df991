package dev.muxgate.gateway;

import dev.muxgate.httpcore.config.ConfigException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * SIGHUP re-reads the configuration file and SIGUSR1 reopens the log files, each done on a thread
 * of its own (never the signal thread, never an event loop), one at a time and in order. A file
 * that does not load, or a configuration that cannot be used (a bad certificate), keeps the running
 * one: one line says why, naming file, line and key, and {@code muxgate_config_reloads_total
 * {result="failed"}} counts it; a reload that applies counts {@code result="applied"} and says
 * what a reload could not change.
 */
final class ConfigReloads implements AutoCloseable {

    private final Gateway gateway;
    private final Path file;
    private final PrintStream out;
    private final PrintStream err;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "muxgate-reload");
        thread.setDaemon(true);
        return thread;
    });

    ConfigReloads(Gateway gateway, Path file, PrintStream out, PrintStream err) {
        this.gateway = gateway;
        this.file = file;
        this.out = out;
        this.err = err;
    }

    /** Handles SIGHUP (reload) and SIGUSR1 (reopen the logs); quietly nothing where signals are missing. */
    @SuppressWarnings("restriction")
    void handleSignals() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> worker.execute(this::reload));
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), signal -> worker.execute(this::reopenLogs));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            out.println("muxgate: signals not available here (" + e.getMessage() + "); no reload by signal");
        }
    }

    /** Reloads now, on the caller's thread; true when the new configuration was applied. */
    boolean reload() {
        long start = System.nanoTime();
        GatewayConfig wanted;
        try {
            wanted = GatewayConfig.load(file);
        } catch (ConfigException e) {
            return failed("bad configuration: " + e.getMessage());
        }
        List<String> notes;
        try {
            notes = gateway.reload(wanted);
        } catch (RuntimeException e) {
            return failed(file + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        }
        gateway.metrics().configReloaded(true);
        out.println("muxgate: reloaded " + file + " in " + (System.nanoTime() - start) / 1_000_000
                + " ms; new connections use it, open ones finish on the previous one");
        notes.forEach(note -> out.println("muxgate: reload: " + note));
        return true;
    }

    private boolean failed(String why) {
        gateway.metrics().configReloaded(false);
        err.println("muxgate: reload failed, the running configuration stays: " + why);
        return false;
    }

    void reopenLogs() {
        gateway.reopenLogs();
        out.println("muxgate: log files reopened");
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
