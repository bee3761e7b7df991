package dev.muxgate.logtools;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code muxgate-logs}: the operator's report tool over the access and session logs. Wires the
 * commands ({@code summary}, {@code sessions}, {@code correlate}, {@code timeline}) with picocli
 * (their models built in code, see {@link CommandSpecs}) and maps every failure to an exit
 * status: 0 done (malformed lines only warn), 1 the logs disagree ({@code correlate}), 2 a usage,
 * config or format error, said in one sentence.
 */
public final class Main implements Callable<Integer> {

    /**
     * The commands by name. Only the one a command line names is set up (all of them when it names
     * none, for the help and the usage errors).
     */
    private static final Map<String, Function<Main, CommandSpec>> COMMANDS = commands();

    private static Map<String, Function<Main, CommandSpec>> commands() {
        Map<String, Function<Main, CommandSpec>> commands = new LinkedHashMap<>();
        commands.put("summary", main -> new SummaryCommand(main).spec());
        commands.put("sessions", main -> new SessionsCommand(main).spec());
        commands.put("correlate", main -> new CorrelateCommand(main).spec());
        commands.put("timeline", main -> new TimelineCommand(main).spec());
        return Collections.unmodifiableMap(commands);
    }

    static final int EXIT_OK = 0;
    static final int EXIT_DISAGREE = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_INTERNAL = 3;

    final InputStream stdin;
    final PrintWriter out;
    final PrintWriter err;
    private CommandLine cli;

    Main(InputStream stdin, PrintWriter out, PrintWriter err) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(cli, "a command is needed: summary, sessions, correlate or timeline");
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = run(args, System.in, out, err);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs one command line and returns its exit status; never throws, never prints a stack trace. */
    static int run(String[] args, InputStream stdin, PrintWriter out, PrintWriter err) {
        Main main = new Main(stdin, out, err);
        CommandSpec spec = CommandSpecs.command("muxgate-logs", main,
                "Per-protocol and per-session stream reports from the muxgate access and session logs.");
        Map<String, String> exitCodes = new LinkedHashMap<>();
        exitCodes.put("0", "report written (malformed lines are counted and warned about)");
        exitCodes.put("1", "correlate: the access log and the session log disagree");
        exitCodes.put("2", "usage, config or format error");
        spec.usageMessage().exitCodeListHeading("%nExit status:%n").exitCodeList(exitCodes);
        CommandLine cli = new CommandLine(spec, CommandSpecs.FACTORY);
        main.cli = cli;
        String named = args.length > 0 && COMMANDS.containsKey(args[0]) ? args[0] : null;
        COMMANDS.forEach((name, command) -> {
            if (named == null || named.equals(name)) {
                cli.addSubcommand(name, new CommandLine(command.apply(main), CommandSpecs.FACTORY));
            }
        });
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, ignored) -> {
            err.println(e.getCommandLine().getCommandName().equals("muxgate-logs")
                    ? "muxgate-logs: " + sentence(e.getMessage()) + " (see 'muxgate-logs --help')"
                    : "muxgate-logs " + e.getCommandLine().getCommandName() + ": " + sentence(e.getMessage())
                    + " (see 'muxgate-logs " + e.getCommandLine().getCommandName() + " --help')");
            err.flush();
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof UsageException) {
                err.println("muxgate-logs: " + e.getMessage());
                err.flush();
                return EXIT_USAGE;
            }
            err.println("muxgate-logs: internal error: " + e);
            err.flush();
            return EXIT_INTERNAL;
        });
        int status = cli.execute(args);
        out.flush();
        return status;
    }

    private static String sentence(String message) {
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }
}
