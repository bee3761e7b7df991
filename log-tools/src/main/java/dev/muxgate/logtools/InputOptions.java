package dev.muxgate.logtools;

import dev.muxgate.httpcore.config.ConfigDocument;
import dev.muxgate.httpcore.config.ConfigException;
import dev.muxgate.httpcore.config.CoreConfigReader;
import dev.muxgate.httpcore.log.AccessLogFormat;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The options every access-log command shares: where the line format comes from and how many
 * files to read at once; and the reading itself, with the warnings for malformed lines and
 * unreadable inputs on stderr.
 */
final class InputOptions {

    static final String DEFAULT_CONFIG = "conf/gateway.yaml";

    String format;
    Path config;
    int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    /** Where the access logs are folded. */
    enum Engine { builtin, spark }

    Engine engine = Engine.builtin;
    String master;

    /** Adds these options to a command's model. */
    void addTo(CommandSpec spec) {
        spec.addOption(CommandSpecs.option("--format", "FORMAT", String.class, null,
                "Access log format string, e.g. '%%<cqtq> %%<chi> %%<pitag> %%<piid> %%<pssc> %%<psql>'; "
                        + "overrides --config.", () -> format, v -> format = v));
        spec.addOption(CommandSpecs.option("--config", "FILE", Path.class, null,
                "Gateway config to take logs.access.format from (default: " + DEFAULT_CONFIG
                        + " when it exists, else the built-in default format).", () -> config, v -> config = v));
        spec.addOption(CommandSpecs.option("--threads", "N", Integer.class, Integer.toString(threads),
                "Files, or chunks of a large plain file, read at once (default: ${DEFAULT-VALUE}).",
                () -> threads, v -> threads = v));
        spec.addOption(CommandSpecs.option("--engine", "ENGINE", Engine.class, engine.name(),
                "builtin (this process's --threads) or spark (Apache Spark: local mode unless --master; "
                        + "bin/muxgate-logs puts Spark on the class path). Same reports either way (default: ${DEFAULT-VALUE}).",
                () -> engine, v -> engine = v));
        spec.addOption(CommandSpecs.option("--master", "URL", String.class, null,
                "With --engine spark: the Spark master, e.g. spark://host:7077 (default: local[*], in this process).",
                () -> master, v -> master = v));
    }

    /** The access log format from {@code --format}, the config, or the default. */
    AccessLogFormat accessLogFormat() {
        String text;
        if (format != null) {
            text = format;
        } else {
            Path file = config;
            if (file == null && Files.exists(Path.of(DEFAULT_CONFIG))) {
                file = Path.of(DEFAULT_CONFIG);
            }
            if (file == null) {
                text = dev.muxgate.httpcore.config.AccessLogConfig.DEFAULT_FORMAT;
            } else {
                try {
                    text = CoreConfigReader.read(ConfigDocument.load(file).root()).accessLog().format();
                } catch (ConfigException e) {
                    throw new UsageException(e.getMessage());
                }
            }
        }
        try {
            AccessLogFormat parsed = AccessLogFormat.parse(text);
            AccessLineParser.compile(parsed);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Reads the access logs named in {@code files} and reports bad lines and inputs on {@code err};
     * the lines' values are read as far as {@code wants} asks (all of them with {@code --engine spark}).
     */
    LogTally read(List<String> files, InputStream stdin, PrintWriter err, AccessLogFold.Wants wants) {
        boolean perMinute = wants.perMinute();
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + threads);
        }
        AccessLogFormat accessFormat = accessLogFormat();
        LogInputs inputs = new LogInputs(files, stdin).jsonLines(JsonLinesInput.access(accessFormat));
        String unreadable = inputs.unreadable();
        if (unreadable != null) {
            throw new UsageException(unreadable);
        }
        if (master != null && engine != Engine.spark) {
            throw new UsageException("--master is for --engine spark");
        }
        if (engine == Engine.spark) {
            if (inputs.names().contains(LogInputs.STDIN)) {
                throw new UsageException("--engine spark reads files, not standard input ('-')");
            }
            LogTally tally = spark().fold(new FoldEngine.Request(inputs.names(), accessFormat.toString(), perMinute,
                    master, LogInputs.CHUNK_BYTES));
            warn(tally, err);
            return tally;
        }
        // A read buffer and session tables per reading thread, not per file or chunk: a large file is many chunks.
        FoldWorkspaces workspaces = new FoldWorkspaces(wants.streamsOnly());
        LogTally tally = inputs.foldAll(threads,
                (name, in) -> AccessLogFold.fold(accessFormat, wants, name, in, workspaces.get()),
                (name, e) -> {
                    LogTally failed = new LogTally();
                    failed.addReadError(name, -1, "cannot open", e.getMessage());
                    return failed;
                });
        workspaces.drainInto(tally);
        warn(tally, err);
        return tally;
    }

    /** The Spark engine, when its module and Spark are on the class path. */
    private static FoldEngine spark() {
        try {
            for (FoldEngine found : java.util.ServiceLoader.load(FoldEngine.class, InputOptions.class.getClassLoader())) {
                if (found.name().equals(Engine.spark.name())) {
                    return found;
                }
            }
        } catch (java.util.ServiceConfigurationError | LinkageError e) {
            // Present but not loadable: Spark's own jars are missing. Said below, in one sentence.
        }
        throw new UsageException("--engine spark needs log-tools-spark and Apache Spark on the class path; "
                + "bin/muxgate-logs adds them (or run it with spark-submit, see the README)");
    }

    static void warn(LogTally tally, PrintWriter err) {
        if (tally.malformed > 0) {
            err.println("muxgate-logs: warning: " + tally.malformed + " malformed line"
                    + (tally.malformed == 1 ? "" : "s") + " skipped (of " + (tally.lines + tally.malformed)
                    + "); the first " + tally.samples.size() + ":");
            for (LogTally.Malformed sample : tally.samples) {
                err.println("  " + sample);
            }
        }
        for (LogTally.ReadError error : tally.errors) {
            err.println("muxgate-logs: error: " + error);
        }
        err.flush();
    }
}
