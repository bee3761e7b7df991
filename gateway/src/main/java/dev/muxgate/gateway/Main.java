package dev.muxgate.gateway;

import dev.muxgate.gateway.warmup.WarmUp;
import dev.muxgate.httpcore.config.ConfigException;
import java.nio.file.Path;

/**
 * {@code muxgate [--config FILE]}: loads the configuration, starts the gateway, and stops it on
 * SIGTERM or Ctrl-C. Bad configuration ends with one sentence on stderr and exit status 2.
 */
public final class Main {

    static final int EXIT_CONFIG = 2;
    static final int EXIT_START = 1;

    private Main() {
    }

    public static void main(String[] args) {
        tuneNettyDefaults();
        ControlCommand control = args.length > 0 ? ControlCommand.of(args[0]) : null;
        boolean warmUpOnly = args.length > 0 && args[0].equals("warm-up");
        Path configFile;
        try {
            configFile = CommandLine.parse(control == null && !warmUpOnly ? args
                    : java.util.Arrays.copyOfRange(args, 1, args.length));
        } catch (IllegalArgumentException e) {
            System.err.println("muxgate: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(EXIT_CONFIG);
            return;
        }
        if (configFile == null) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        if (control != null) {
            System.exit(control.run(configFile, System.out, System.err));
            return;
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.load(configFile);
        } catch (ConfigException e) {
            System.err.println("muxgate: bad configuration: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        if (warmUpOnly) {
            // A training run: the JVM writes what it learnt (an AOT cache) as it exits. It opens no
            // listener, so it may run beside the gateway it trains for.
            if (!config.warmUp().enabled() || !config.tls().enabled()) {
                System.err.println("muxgate: warm-up: nothing to do (warm-up.requests is 0 or tls.enabled is false)");
                System.exit(EXIT_CONFIG);
                return;
            }
            // A warm-up that failed trains nothing worth keeping: bin/muxgate then drops the cache.
            System.exit(warmUp(config) ? 0 : EXIT_START);
            return;
        }
        try {
            ListenerPortProbe.check(config);
        } catch (java.io.IOException e) {
            System.err.println("muxgate: could not start: " + describe(e));
            System.exit(EXIT_START);
            return;
        }
        warmUp(config);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (Exception e) {
            System.err.println("muxgate: could not start: " + describe(e));
            System.exit(EXIT_START);
            return;
        }
        GracefulStop stop = new GracefulStop(gateway);
        // SIGTERM and Ctrl-C end with status 0 once everything is drained; a JVM shutdown any
        // other way (System.exit elsewhere) still drains through the hook. SIGHUP reloads.
        stop.onSignal("TERM");
        stop.onSignal("INT");
        Runtime.getRuntime().addShutdownHook(new Thread(stop::stop, "muxgate-shutdown"));
        ConfigReloads reloads = new ConfigReloads(gateway, configFile, System.out, System.err);
        reloads.handleSignals();
        PidFile pid = writePidFile(config);
        for (String line : gateway.startupReport()) {
            System.out.println("muxgate: " + line);
        }
        stop.awaitStopped();
        reloads.close();
        if (pid != null) {
            pid.remove();
        }
        System.exit(0);
    }

    /** The pid file {@code muxgate reload} reads; without one the gateway still serves. */
    private static PidFile writePidFile(GatewayConfig config) {
        try {
            return PidFile.write(config.tls().stateDir());
        } catch (java.io.IOException e) {
            System.err.println("muxgate: could not write " + PidFile.in(config.tls().stateDir()) + " (" + describe(e)
                    + "); muxgate reload and reopen-logs will not find this gateway, send SIGHUP or SIGUSR1 to "
                    + ProcessHandle.current().pid());
            return null;
        }
    }

    /**
     * Netty defaults that fit a test harness better than a front door, changed before any Netty
     * class reads them and only when the operator has not set them.
     */
    private static void tuneNettyDefaults() {
        // Below 512 MiB of heap Netty's adaptive allocator turns "low memory": no thread-local
        // magazines, and every buffer over 16 KiB (each 64 KiB socket read) becomes a fresh zeroed
        // direct allocation and a munmap. Buffer memory here is bounded by water marks and
        // windows, not by the heap, so the heap size says nothing about it.
        defaultProperty("io.netty.allocator.lowMemory", "false");
        // The leak detector samples 1 buffer in 128 with a stack trace each: a few percent of the
        // request path. The tests run it on PARANOID; operators can turn it back on.
        defaultProperty("io.netty.leakDetection.level", "disabled");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Before any listener opens; a warm-up that fails only costs the warmth, never the start.
     * True when it ran (or had nothing to do), false when it failed.
     */
    private static boolean warmUp(GatewayConfig config) {
        if (!config.warmUp().enabled() || !config.tls().enabled()) {
            return true;
        }
        System.out.println("muxgate: warming up before the listeners open (at most "
                + config.warmUp().maxTime().toSeconds() + " s; warm-up.requests: 0 skips it)");
        try {
            System.out.println("muxgate: " + WarmUp.run(config).describe());
            return true;
        } catch (Exception e) {
            System.out.println("muxgate: warm-up skipped: " + describe(e));
            return false;
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof java.net.BindException || message != null && message.contains("Address already in use")) {
            return "address already in use (" + message + "); is another muxgate running?";
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}
