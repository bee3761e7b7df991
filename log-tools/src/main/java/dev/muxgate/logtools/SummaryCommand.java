package dev.muxgate.logtools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** {@code summary}: one row per protocol ({@code pitag}), {@code untagged} last. */
final class SummaryCommand extends AccessLogCommand {

    Path html;

    SummaryCommand(Main main) {
        super(main);
    }

    @Override
    CommandSpec spec() {
        return spec("summary", "Per protocol (pitag): sessions (distinct piid), streams (lines), streams per session "
                        + "(mean, p50, p90, p99, max), bytes (psql), status classes and errors (5xx and status 0).",
                "Lines with no pitag or piid 0 are counted in an 'untagged' row with no sessions.");
    }

    @Override
    void addOptions(CommandSpec spec) {
        spec.addOption(htmlOption(() -> html, v -> html = v));
    }

    @Override
    public Integer call() {
        PrintWriter out = main.out;
        LogTally tally = input.read(files, main.stdin, main.err, new AccessLogFold.Wants(html != null, false, false));
        write(ProtocolSummary.of(tally), output, out);
        out.flush();
        if (html != null) {
            HtmlReport.writeOrExplain(tally, html);
        }
        return Main.EXIT_OK;
    }

    static void write(List<ProtocolSummary> rows, ReportOutput.Format format, PrintWriter out) {
        if (format == ReportOutput.Format.json) {
            out.print("[");
            for (int i = 0; i < rows.size(); i++) {
                ProtocolSummary r = rows.get(i);
                out.print(i == 0 ? "\n" : ",\n");
                out.print("  {\"protocol\": " + ReportOutput.json(r.protocol()) + ", \"sessions\": " + r.sessions()
                        + ", \"streams\": " + r.streams() + ", \"bytes\": " + r.bytes()
                        + ", \"streams_per_session\": {\"mean\": " + ReportOutput.decimal(r.mean())
                        + ", \"p50\": " + r.p50() + ", \"p90\": " + r.p90() + ", \"p99\": " + r.p99()
                        + ", \"max\": " + r.max() + "}, \"status\": {\"2xx\": " + r.status()[0]
                        + ", \"3xx\": " + r.status()[1] + ", \"4xx\": " + r.status()[2] + ", \"5xx\": " + r.status()[3]
                        + "}, \"errors\": " + r.errors() + "}");
            }
            out.println(rows.isEmpty() ? "]" : "\n]");
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (ProtocolSummary r : rows) {
            cells.add(List.of(r.protocol(), Long.toString(r.sessions()), Long.toString(r.streams()),
                    ReportOutput.decimal(r.mean()), Long.toString(r.p50()), Long.toString(r.p90()),
                    Long.toString(r.p99()), Long.toString(r.max()), Long.toString(r.bytes()),
                    Long.toString(r.status()[0]), Long.toString(r.status()[1]), Long.toString(r.status()[2]),
                    Long.toString(r.status()[3]), Long.toString(r.errors())));
        }
        ReportOutput.write(format, List.of("protocol", "sessions", "streams", "mean", "p50", "p90", "p99", "max",
                "bytes", "2xx", "3xx", "4xx", "5xx", "errors"), cells, out);
    }
}
