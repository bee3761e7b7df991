package dev.muxgate.gateway;

import java.nio.file.Path;

/** The gateway's few flags; anything unknown is a usage error, never ignored. */
final class CommandLine {

    static final String USAGE = "usage: muxgate [reload | reopen-logs | warm-up] [--config FILE]   (default conf/gateway.yaml)\n"
            + "  reload:      the running gateway re-reads its configuration (SIGHUP)\n"
            + "  reopen-logs: the running gateway reopens its log files, after logrotate (SIGUSR1)\n"
            + "  warm-up:     runs the configured warm-up on loopback and exits, opening no listener\n"
            + "               (bin/muxgate uses it to train the JVM's AOT cache where the JDK has one)";

    private CommandLine() {
    }

    /** The config file to load, or null when only help was asked for. */
    static Path parse(String[] args) {
        Path config = Path.of("conf/gateway.yaml");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config", "-c" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a file name");
                    }
                    config = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    return null;
                }
                default -> {
                    if (arg.startsWith("--config=")) {
                        config = Path.of(arg.substring("--config=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown argument: " + arg);
                    }
                }
            }
        }
        return config;
    }
}
