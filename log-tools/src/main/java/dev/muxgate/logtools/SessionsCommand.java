package dev.muxgate.logtools;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sessions}: one row per client session, the busiest (or biggest, or earliest) first. */
final class SessionsCommand extends AccessLogCommand {

    /** The orders of {@code --sort}. */
    enum Sort { streams, bytes, first }

    int top = 20;
    Sort sort = Sort.streams;

    SessionsCommand(Main main) {
        super(main);
    }

    @Override
    CommandSpec spec() {
        return spec("sessions", "Per client session (pitag, piid): the gateway's node id (the top bits of piid), "
                + "client address, first and last request time (UTC), "
                + "streams, bytes and status mix. Untagged lines (no pitag, or piid 0) belong to no session "
                + "and are left out.");
    }

    @Override
    void addOptions(CommandSpec spec) {
        spec.addOption(CommandSpecs.option("--top", "N", Integer.class, Integer.toString(top),
                "Sessions shown; 0 for all (default: ${DEFAULT-VALUE}).", () -> top, v -> top = v));
        spec.addOption(CommandSpecs.option("--sort", "KEY", Sort.class, sort.name(),
                "streams or bytes (largest first) or first (earliest first) (default: ${DEFAULT-VALUE}).",
                () -> sort, v -> sort = v));
    }

    @Override
    public Integer call() {
        if (top < 0) {
            throw new UsageException("--top must be 0 (all) or more, got " + top);
        }
        LogTally tally = input.read(files, main.stdin, main.err, AccessLogFold.Wants.all(false));
        PrintWriter out = main.out;
        write(rows(tally, sort, top), output, out);
        out.flush();
        return Main.EXIT_OK;
    }

    static List<Map.Entry<SessionKey, SessionTally>> rows(LogTally tally, Sort sort, int top) {
        Comparator<Map.Entry<SessionKey, SessionTally>> order = switch (sort) {
            case streams -> Comparator.comparingLong(e -> -e.getValue().streams);
            case bytes -> Comparator.comparingLong(e -> -e.getValue().bytes);
            case first -> Comparator.comparingLong(e -> e.getValue().first);
        };
        order = order.thenComparing(e -> e.getKey().protocol()).thenComparingLong(e -> e.getKey().id());
        List<Map.Entry<SessionKey, SessionTally>> rows = new ArrayList<>();
        for (Map.Entry<SessionKey, SessionTally> e : tally.sessions.entrySet()) {
            if (!e.getKey().untagged()) {
                rows.add(e);
            }
        }
        rows.sort(order);
        return top == 0 || rows.size() <= top ? rows : rows.subList(0, top);
    }

    /**
     * The node id of the gateway that numbered session {@code piid}: bits 48..62 of the number, the
     * layout of the gateway's {@code SessionNumbers} (sign bit clear, 15 bits of node id, 48 bits of
     * sequence), so a fleet's merged logs say which gateway served each session.
     */
    static int nodeOf(long piid) {
        return (int) (piid >>> 48);
    }

    static void write(List<Map.Entry<SessionKey, SessionTally>> rows, ReportOutput.Format format, PrintWriter out) {
        if (format == ReportOutput.Format.json) {
            out.print("[");
            for (int i = 0; i < rows.size(); i++) {
                SessionKey k = rows.get(i).getKey();
                SessionTally s = rows.get(i).getValue();
                out.print(i == 0 ? "\n" : ",\n");
                out.print("  {\"protocol\": " + ReportOutput.json(k.protocol()) + ", \"piid\": " + k.id()
                        + ", \"node\": " + nodeOf(k.id())
                        + ", \"client\": " + ReportOutput.json(s.client)
                        + ", \"first\": " + (s.hasTime() ? ReportOutput.json(ReportOutput.time(s.first, true)) : "null")
                        + ", \"last\": " + (s.hasTime() ? ReportOutput.json(ReportOutput.time(s.last, true)) : "null")
                        + ", \"streams\": " + s.streams + ", \"bytes\": " + s.bytes
                        + ", \"status\": {\"2xx\": " + s.status(2) + ", \"3xx\": " + s.status(3) + ", \"4xx\": "
                        + s.status(4) + ", \"5xx\": " + s.status(5) + "}, \"errors\": " + s.errors() + "}");
            }
            out.println(rows.isEmpty() ? "]" : "\n]");
            return;
        }
        List<List<String>> cells = new ArrayList<>();
        for (Map.Entry<SessionKey, SessionTally> e : rows) {
            SessionTally s = e.getValue();
            cells.add(List.of(e.getKey().protocol(), Long.toString(e.getKey().id()), Integer.toString(nodeOf(e.getKey().id())),
                    s.client == null ? "-" : s.client,
                    ReportOutput.time(s.first, s.hasTime()), ReportOutput.time(s.last, s.hasTime()),
                    Long.toString(s.streams), Long.toString(s.bytes), Long.toString(s.status(2)),
                    Long.toString(s.status(3)), Long.toString(s.status(4)), Long.toString(s.status(5)),
                    Long.toString(s.errors())));
        }
        ReportOutput.write(format, List.of("protocol", "piid", "node", "client", "first", "last", "streams", "bytes",
                "2xx", "3xx", "4xx", "5xx", "errors"), cells, out);
    }
}
