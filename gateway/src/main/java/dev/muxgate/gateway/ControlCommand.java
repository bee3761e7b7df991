package dev.muxgate.gateway;

import dev.muxgate.httpcore.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code muxgate reload} and {@code muxgate reopen-logs}: send SIGHUP or SIGUSR1 to the gateway
 * whose pid file is in the state directory of the configuration ({@code --config}, as for
 * {@code muxgate}). {@code reload} first checks the file and refuses to send when it is bad, so the
 * operator sees the file, line and key at once (the gateway would keep its configuration anyway).
 * Exit status 0 when the signal went, 1 when no gateway runs (no pid file, or a stale one), 2 for
 * a bad file or usage.
 */
final class ControlCommand {

    static final int EXIT_NOT_RUNNING = 1;

    private final String name;
    private final String signal;

    private ControlCommand(String name, String signal) {
        this.name = name;
        this.signal = signal;
    }

    /** The command {@code word} names, or null when it names none. */
    static ControlCommand of(String word) {
        return switch (word) {
            case "reload" -> new ControlCommand("reload", "HUP");
            case "reopen-logs" -> new ControlCommand("reopen-logs", "USR1");
            default -> null;
        };
    }

    /** Runs the command for {@code configFile}; returns the exit status. */
    int run(Path configFile, PrintStream out, PrintStream err) {
        Path stateDir;
        try {
            stateDir = GatewayConfig.load(configFile).tls().stateDir();
        } catch (ConfigException e) {
            if (name.equals("reload")) {
                err.println("muxgate: " + name + ": bad configuration, nothing sent: " + e.getMessage());
                return Main.EXIT_CONFIG;
            }
            // logrotate must not lose a night's rotation to a half-edited file: only the state dir matters here.
            stateDir = stateDirOnly(configFile);
            err.println("muxgate: " + name + ": note: " + e.getMessage() + "; using state-dir " + stateDir);
        }
        Path pidFile = PidFile.in(stateDir);
        Optional<Long> pid;
        try {
            pid = PidFile.read(pidFile);
        } catch (IOException e) {
            err.println("muxgate: " + name + ": " + e.getMessage());
            return EXIT_NOT_RUNNING;
        }
        if (pid.isEmpty()) {
            err.println("muxgate: " + name + ": no running gateway: " + pidFile + " does not exist");
            return EXIT_NOT_RUNNING;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || !looksLikeGateway(process.get())) {
            err.println("muxgate: " + name + ": no running gateway: " + pidFile + " names process " + pid.get()
                    + ", which is " + (process.isEmpty() ? "not running" : "not a muxgate gateway")
                    + " (a stale pid file)");
            return EXIT_NOT_RUNNING;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-s", signal, Long.toString(pid.get()))
                    .redirectErrorStream(true).start();
            String said = new String(kill.getInputStream().readAllBytes()).trim();
            if (kill.waitFor() != 0) {
                err.println("muxgate: " + name + ": could not signal process " + pid.get() + ": " + said);
                return EXIT_NOT_RUNNING;
            }
        } catch (IOException e) {
            err.println("muxgate: " + name + ": could not run kill: " + e.getMessage());
            return EXIT_NOT_RUNNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_NOT_RUNNING;
        }
        out.println("muxgate: " + name + ": sent SIG" + signal + " to the gateway, process " + pid.get()
                + (name.equals("reload") ? " (its output says what changed)" : ""));
        return 0;
    }

    /** {@code tls.state-dir} of a file that does not load as a whole; the default when even that fails. */
    private static Path stateDirOnly(Path configFile) {
        Path fallback = dev.muxgate.gateway.tls.TlsConfig.defaults().stateDir();
        try {
            String dir = dev.muxgate.httpcore.config.ConfigDocument.load(configFile).root()
                    .optionalSection("tls").string("state-dir", null);
            return dir == null ? fallback : Path.of(dir);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    /** A recycled pid must not get our signal; when the OS hides the command line, trust the file. */
    private static boolean looksLikeGateway(ProcessHandle process) {
        // Linux gives the whole command line here; ProcessHandle.Info may cut a long class path short.
        Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
        try {
            if (java.nio.file.Files.isReadable(cmdline)) {
                return new String(java.nio.file.Files.readAllBytes(cmdline), java.nio.charset.StandardCharsets.UTF_8)
                        .contains(Main.class.getName());
            }
        } catch (IOException e) {
            // Fall back on what the JDK can tell.
        }
        return process.info().commandLine().map(line -> line.contains(Main.class.getName())).orElse(true);
    }
}
