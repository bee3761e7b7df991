package dev.muxgate.logtools;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;

/** {@code timeline}: per minute and protocol, sessions active and streams started. */
final class TimelineCommand extends AccessLogCommand {

    /** One protocol's minute: sessions active and streams started. */
    record Point(long minute, String protocol, long sessions, long streams) {
    }

    Path html;

    TimelineCommand(Main main) {
        super(main);
    }

    @Override
    CommandSpec spec() {
        return spec("timeline", "Per minute (UTC) and protocol: sessions active (between their first and last request, "
                + "from cqtq) and streams (lines whose cqtq falls in that minute). Needs %%<cqtq> in the format.");
    }

    @Override
    void addOptions(CommandSpec spec) {
        spec.addOption(htmlOption(() -> html, v -> html = v));
    }

    @Override
    public Integer call() {
        LogTally tally = input.read(files, main.stdin, main.err, new AccessLogFold.Wants(true, true, false));
        PrintWriter out = main.out;
        write(points(tally), output, out);
        out.flush();
        if (html != null) {
            HtmlReport.writeOrExplain(tally, html);
        }
        return Main.EXIT_OK;
    }

    static List<Point> points(LogTally tally) {
        // Per protocol: minute -> {change in active sessions, streams}; a prefix sum gives the active count.
        Map<String, TreeMap<Long, long[]>> byProtocol = new TreeMap<>();
        tally.streamsPerMinute.forEach((key, count) ->
                byProtocol.computeIfAbsent(key.protocol(), p -> new TreeMap<>())
                        .computeIfAbsent(key.minute(), m -> new long[2])[1] += count[0]);
        tally.sessions.forEach((key, session) -> {
            if (key.untagged() || !session.hasTime()) {
                return;
            }
            TreeMap<Long, long[]> minutes = byProtocol.computeIfAbsent(key.protocol(), p -> new TreeMap<>());
            minutes.computeIfAbsent(Math.floorDiv(session.first, 60_000L), m -> new long[2])[0]++;
            minutes.computeIfAbsent(Math.floorDiv(session.last, 60_000L) + 1, m -> new long[2])[0]--;
        });
        List<Point> points = new ArrayList<>();
        byProtocol.forEach((protocol, minutes) -> {
            long active = 0;
            Long previous = null;
            for (Map.Entry<Long, long[]> e : minutes.entrySet()) {
                // Minutes with no change in between still have the sessions that span them.
                if (previous != null && active > 0) {
                    for (long m = previous + 1; m < e.getKey(); m++) {
                        points.add(new Point(m, protocol, active, 0));
                    }
                }
                active += e.getValue()[0];
                if (active > 0 || e.getValue()[1] > 0) {
                    points.add(new Point(e.getKey(), protocol, active, e.getValue()[1]));
                }
                previous = e.getKey();
            }
        });
        points.sort(java.util.Comparator.comparingLong(Point::minute).thenComparing(Point::protocol));
        return points;
    }

    static void write(List<Point> points, ReportOutput.Format format, PrintWriter out) {
        if (format == ReportOutput.Format.json) {
            out.print("[");
            for (int i = 0; i < points.size(); i++) {
                Point p = points.get(i);
                out.print((i == 0 ? "\n" : ",\n") + "  {\"minute\": " + ReportOutput.json(minute(p.minute()))
                        + ", \"protocol\": " + ReportOutput.json(p.protocol()) + ", \"sessions\": " + p.sessions()
                        + ", \"streams\": " + p.streams() + "}");
            }
            out.println(points.isEmpty() ? "]" : "\n]");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Point p : points) {
            rows.add(List.of(minute(p.minute()), p.protocol(), Long.toString(p.sessions()), Long.toString(p.streams())));
        }
        ReportOutput.write(format, List.of("minute", "protocol", "sessions", "streams"), rows, out);
    }

    private static String minute(long epochMinute) {
        return Instant.ofEpochSecond(epochMinute * 60).toString();
    }
}
