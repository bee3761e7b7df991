package dev.muxgate.logtools;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What every report over access logs has: the input options, {@code --output}, the access log
 * files, and its model built from them and {@link #addOptions its own options}.
 */
abstract class AccessLogCommand implements Callable<Integer> {

    final Main main;
    final InputOptions input = new InputOptions();
    ReportOutput.Format output = ReportOutput.Format.table;
    List<String> files;

    AccessLogCommand(Main main) {
        this.main = main;
    }

    /** This command's model, its options bound to its fields. */
    abstract CommandSpec spec();

    /** Adds the options of this command alone. */
    abstract void addOptions(CommandSpec spec);

    /** The model named {@code name}: the shared options, {@link #addOptions}'s, and the files. */
    final CommandSpec spec(String name, String... description) {
        CommandSpec spec = CommandSpecs.command(name, this, description);
        input.addTo(spec);
        spec.addOption(CommandSpecs.option("--output", "FORMAT", ReportOutput.Format.class, output.name(),
                "table, csv or json (default: ${DEFAULT-VALUE}).", () -> output, v -> output = v));
        addOptions(spec);
        spec.addPositional(CommandSpecs.positionals("ACCESSLOG", "Access log files (plain or gzip); '-' for stdin.",
                () -> files, v -> files = v));
        return spec;
    }

    /** {@code --html FILE}, for the reports that can also write a page. */
    static OptionSpec htmlOption(Supplier<Path> get, Consumer<Path> set) {
        return CommandSpecs.option("--html", "FILE", Path.class, null,
                "Also write one self-contained HTML page (summary, charts of streams per protocol, "
                        + "streams per session and per minute) to FILE.", get, set);
    }
}
