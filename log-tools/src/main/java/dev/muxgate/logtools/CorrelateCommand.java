package dev.muxgate.logtools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code correlate}: do the access log and the session log tell the same story? */
final class CorrelateCommand extends AccessLogCommand {

    List<String> sessionLogs;
    int show = 20;

    CorrelateCommand(Main main) {
        super(main);
    }

    @Override
    CommandSpec spec() {
        return spec("correlate", "Joins the access log (pitag, piid) with the session log (protocol, number) and lists "
                + "sessions with streams but no session line, session lines with no streams, and sessions whose "
                + "stream counts differ (session log 'streams' against access log lines); per-protocol totals.",
                "Exit status 1 when the logs disagree, 0 when they agree.");
    }

    @Override
    void addOptions(CommandSpec spec) {
        spec.addOption(CommandSpecs.repeatedRequired("--sessions", "SESSIONLOG",
                "Session log file (plain or gzip; repeat for rotated files).", () -> sessionLogs, v -> sessionLogs = v));
        spec.addOption(CommandSpecs.option("--show", "N", Integer.class, Integer.toString(show),
                "Disagreeing sessions listed in the table; 0 for all (default: ${DEFAULT-VALUE}).",
                () -> show, v -> show = v));
    }

    @Override
    public Integer call() {
        PrintWriter err = main.err;
        LogTally access = input.read(files, main.stdin, err, new AccessLogFold.Wants(false, false, false));
        LogInputs sessionInputs = new LogInputs(sessionLogs, main.stdin).jsonLines(JsonLinesInput.session());
        String unreadable = sessionInputs.unreadable();
        if (unreadable != null) {
            throw new UsageException(unreadable);
        }
        LogTally sessionLog = sessionInputs.foldAll(input.threads, SessionLogFold::fold,
                (name, e) -> {
                    LogTally failed = new LogTally();
                    failed.addReadError(name, -1, "cannot open", e.getMessage());
                    return failed;
                });
        InputOptions.warn(sessionLog, err);
        Correlation c = Correlation.of(access, sessionLog);
        PrintWriter out = main.out;
        write(c, output, show, out);
        out.flush();
        return c.agree() ? Main.EXIT_OK : Main.EXIT_DISAGREE;
    }

    static void write(Correlation c, ReportOutput.Format format, int show, PrintWriter out) {
        if (format == ReportOutput.Format.json) {
            StringBuilder json = new StringBuilder("{\"agree\": ").append(c.agree()).append(", \"protocols\": [");
            boolean first = true;
            for (Map.Entry<String, Correlation.Totals> e : c.totals.entrySet()) {
                Correlation.Totals t = e.getValue();
                json.append(first ? "\n    " : ",\n    ").append("{\"protocol\": ").append(ReportOutput.json(e.getKey()))
                        .append(", \"access_sessions\": ").append(t.accessSessions)
                        .append(", \"access_streams\": ").append(t.accessStreams)
                        .append(", \"session_log_sessions\": ").append(t.logSessions)
                        .append(", \"session_log_streams\": ").append(t.logStreams)
                        .append(", \"matched\": ").append(t.matched)
                        .append(", \"only_in_access_log\": ").append(t.onlyInAccess)
                        .append(", \"only_in_session_log\": ").append(t.onlyInSessionLog)
                        .append(", \"stream_count_differs\": ").append(t.mismatched).append('}');
                first = false;
            }
            json.append("],\n  \"disagreements\": [");
            first = true;
            for (Correlation.Disagreement d : c.disagreements) {
                json.append(first ? "\n    " : ",\n    ").append("{\"kind\": ").append(ReportOutput.json(d.kind()))
                        .append(", \"protocol\": ").append(ReportOutput.json(d.key().protocol()))
                        .append(", \"session\": ").append(d.key().id())
                        .append(", \"access_streams\": ").append(d.accessStreams() < 0 ? "null" : d.accessStreams())
                        .append(", \"session_log_streams\": ")
                        .append(d.sessionLogStreams() < 0 ? "null" : d.sessionLogStreams()).append('}');
                first = false;
            }
            out.println(json.append("]}"));
            return;
        }
        List<List<String>> totals = new ArrayList<>();
        c.totals.forEach((protocol, t) -> totals.add(List.of(protocol, Long.toString(t.accessSessions),
                Long.toString(t.accessStreams), Long.toString(t.logSessions), Long.toString(t.logStreams),
                Long.toString(t.matched), Long.toString(t.onlyInAccess), Long.toString(t.onlyInSessionLog),
                Long.toString(t.mismatched))));
        List<String> totalHeaders = List.of("protocol", "access_sessions", "access_streams", "session_log_sessions",
                "session_log_streams", "matched", "only_in_access_log", "only_in_session_log", "stream_count_differs");
        List<List<String>> rows = new ArrayList<>();
        int limit = format == ReportOutput.Format.csv || show == 0 ? c.disagreements.size()
                : Math.min(show, c.disagreements.size());
        for (Correlation.Disagreement d : c.disagreements.subList(0, limit)) {
            rows.add(List.of(d.kind(), d.key().protocol(), Long.toString(d.key().id()),
                    d.accessStreams() < 0 ? "-" : Long.toString(d.accessStreams()),
                    d.sessionLogStreams() < 0 ? "-" : Long.toString(d.sessionLogStreams())));
        }
        List<String> headers = List.of("kind", "protocol", "session", "access_streams", "session_log_streams");
        if (format == ReportOutput.Format.csv) {
            ReportOutput.csv(headers, rows, out);
            return;
        }
        ReportOutput.table(totalHeaders, totals, out);
        out.println();
        if (c.agree()) {
            out.println("The access log and the session log agree.");
            return;
        }
        out.println(c.disagreements.size() + " session" + (c.disagreements.size() == 1 ? "" : "s")
                + " disagree" + (c.disagreements.size() == 1 ? "s" : "")
                + (limit < c.disagreements.size() ? " (first " + limit + " shown; --show 0 for all):" : ":"));
        ReportOutput.table(headers, rows, out);
    }
}
