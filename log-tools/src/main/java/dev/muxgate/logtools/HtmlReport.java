package dev.muxgate.logtools;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes {@code --html FILE}: one self-contained page (inline CSS, inline SVG drawn here, no
 * script, no external resource) with the summary table, streams per protocol, a histogram of
 * streams per session for each protocol and the per-minute timeline. Every text from the logs is
 * HTML-escaped. The reports decide the numbers; this only draws them.
 */
final class HtmlReport {

    /** Series colours, one per protocol in name order; repeats past the end. */
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"};
    private static final int WIDTH = 720;
    private static final int HEIGHT = 240;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;

    private HtmlReport() {
    }

    /** Writes the page for {@code tally} (read with per-minute counts for the timeline) to {@code file}. */
    static void write(LogTally tally, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(page(tally));
        }
    }

    /** {@link #write}, with a failure to write said as a usage error (exit 2) rather than a stack trace. */
    static void writeOrExplain(LogTally tally, Path file) {
        try {
            write(tally, file);
        } catch (IOException e) {
            throw new UsageException("cannot write the HTML report " + file + ": " + e.getMessage());
        }
    }

    static String page(LogTally tally) {
        List<ProtocolSummary> rows = ProtocolSummary.of(tally);
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>muxgate-logs report</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\n")
                .append("table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #ddd}\n")
                .append("td.n{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("svg{display:block;margin:0.5em 0 1.5em}svg text{font:11px sans-serif}\n")
                .append(".legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}\n")
                .append("</style></head><body>\n<h1>muxgate-logs report</h1>\n");
        html.append("<p>").append(tally.lines).append(" lines, ").append(tally.malformed).append(" malformed, ")
                .append(tally.notes).append(" notes</p>\n");
        for (LogTally.ReadError error : tally.errors) {
            html.append("<p><strong>error:</strong> ").append(escape(error.toString())).append("</p>\n");
        }
        summaryTable(rows, html);
        List<String> protocols = rows.stream().map(ProtocolSummary::protocol).toList();
        legend(protocols, html);
        html.append("<h2>Streams per protocol</h2>\n");
        streamsPerProtocol(rows, html);
        html.append("<h2>Sessions by streams per session</h2>\n");
        histogram(tally, protocols, html);
        html.append("<h2>Streams per minute (UTC)</h2>\n");
        timeline(tally, protocols, html);
        html.append("</body></html>\n");
        return html.toString();
    }

    private static void summaryTable(List<ProtocolSummary> rows, StringBuilder html) {
        html.append("<table>\n<tr>");
        for (String h : List.of("protocol", "sessions", "streams", "mean", "p50", "p90", "p99", "max", "bytes",
                "2xx", "3xx", "4xx", "5xx", "errors")) {
            html.append("<th>").append(h).append("</th>");
        }
        html.append("</tr>\n");
        for (ProtocolSummary r : rows) {
            html.append("<tr><td>").append(escape(r.protocol())).append("</td>");
            for (String cell : List.of(Long.toString(r.sessions()), Long.toString(r.streams()),
                    ReportOutput.decimal(r.mean()), Long.toString(r.p50()), Long.toString(r.p90()),
                    Long.toString(r.p99()), Long.toString(r.max()), Long.toString(r.bytes()),
                    Long.toString(r.status()[0]), Long.toString(r.status()[1]), Long.toString(r.status()[2]),
                    Long.toString(r.status()[3]), Long.toString(r.errors()))) {
                html.append("<td class=\"n\">").append(cell).append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static void legend(List<String> protocols, StringBuilder html) {
        html.append("<p class=\"legend\">");
        for (int i = 0; i < protocols.size(); i++) {
            html.append("<span style=\"background:").append(colour(i)).append("\"></span>")
                    .append(escape(protocols.get(i)));
        }
        html.append("</p>\n");
    }

    private static void streamsPerProtocol(List<ProtocolSummary> rows, StringBuilder html) {
        long max = 1;
        for (ProtocolSummary r : rows) {
            max = Math.max(max, r.streams());
        }
        int barHeight = 24;
        int height = rows.size() * (barHeight + 8) + 10;
        html.append(svgOpen(WIDTH, height, "streams per protocol"));
        int plot = WIDTH - 160 - 90;
        for (int i = 0; i < rows.size(); i++) {
            ProtocolSummary r = rows.get(i);
            int y = 5 + i * (barHeight + 8);
            int w = (int) Math.max(1, Math.round((double) r.streams() / max * plot));
            html.append(String.format(Locale.ROOT,
                    "<text x=\"155\" y=\"%d\" text-anchor=\"end\">%s</text>"
                            + "<rect x=\"160\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%d\">%d</text>\n",
                    y + barHeight * 2 / 3, escape(r.protocol()), y, w, barHeight, colour(i), 165 + w,
                    y + barHeight * 2 / 3, r.streams()));
        }
        html.append("</svg>\n");
    }

    /** Sessions per power-of-two bucket of streams (1, 2-3, 4-7, ...), grouped bars per protocol. */
    private static void histogram(LogTally tally, List<String> protocols, StringBuilder html) {
        Map<String, long[]> buckets = new TreeMap<>();
        int used = 1;
        for (Map.Entry<SessionKey, SessionTally> e : tally.sessions.entrySet()) {
            if (e.getKey().untagged() || e.getValue().streams < 1) {
                continue;
            }
            int bucket = 63 - Long.numberOfLeadingZeros(e.getValue().streams);
            buckets.computeIfAbsent(e.getKey().protocol(), p -> new long[64])[bucket]++;
            used = Math.max(used, bucket + 1);
        }
        List<String> tagged = protocols.stream().filter(buckets::containsKey).toList();
        if (tagged.isEmpty()) {
            html.append("<p>No tagged sessions.</p>\n");
            return;
        }
        long max = 1;
        for (long[] counts : buckets.values()) {
            for (long c : counts) {
                max = Math.max(max, c);
            }
        }
        html.append(svgOpen(WIDTH, HEIGHT, "sessions by streams per session"));
        int plotW = WIDTH - LEFT - 10;
        int plotH = HEIGHT - BOTTOM - 10;
        axes(max, plotH, html);
        double group = (double) plotW / used;
        double bar = Math.max(1, (group - 4) / tagged.size());
        for (int b = 0; b < used; b++) {
            double x0 = LEFT + b * group + 2;
            long low = 1L << b;
            long high = (1L << (b + 1)) - 1;
            String label = low == high ? Long.toString(low) : low + "-" + high;
            html.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x0 + group / 2 - 2, HEIGHT - BOTTOM + 14 + (b % 2) * 12, label));
            for (int p = 0; p < tagged.size(); p++) {
                long count = buckets.get(tagged.get(p))[b];
                if (count == 0) {
                    continue;
                }
                double h = (double) count / max * plotH;
                html.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s: %d sessions of %s streams</title></rect>\n",
                        x0 + p * bar, 10 + plotH - h, bar, Math.max(h, 1), colour(protocols.indexOf(tagged.get(p))),
                        escape(tagged.get(p)), count, label));
            }
        }
        html.append("</svg>\n");
    }

    /** Streams per minute, one line per protocol. */
    private static void timeline(LogTally tally, List<String> protocols, StringBuilder html) {
        List<TimelineCommand.Point> points = TimelineCommand.points(tally);
        if (points.isEmpty()) {
            html.append("<p>No request times (the format has no %&lt;cqtq&gt;).</p>\n");
            return;
        }
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        long max = 1;
        Map<String, TreeMap<Long, Long>> series = new TreeMap<>();
        for (TimelineCommand.Point p : points) {
            first = Math.min(first, p.minute());
            last = Math.max(last, p.minute());
            max = Math.max(max, p.streams());
            series.computeIfAbsent(p.protocol(), k -> new TreeMap<>()).put(p.minute(), p.streams());
        }
        html.append(svgOpen(WIDTH, HEIGHT, "streams per minute"));
        int plotW = WIDTH - LEFT - 10;
        int plotH = HEIGHT - BOTTOM - 10;
        axes(max, plotH, html);
        long span = Math.max(1, last - first);
        html.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                LEFT, HEIGHT - BOTTOM + 16, escape(minute(first)), WIDTH - 10, HEIGHT - BOTTOM + 16,
                escape(minute(last))));
        for (Map.Entry<String, TreeMap<Long, Long>> s : series.entrySet()) {
            StringBuilder path = new StringBuilder();
            // A gap of minutes with no stream drops to 0 and rises again; points only where the log has them,
            // so a sparse year of logs stays a small page.
            Long previous = null;
            for (Map.Entry<Long, Long> point : s.getValue().entrySet()) {
                long m = point.getKey();
                if (previous == null ? m > first : m > previous + 1) {
                    if (previous != null) {
                        point(path, previous + 1, 0, first, span, max, plotW, plotH);
                    }
                    point(path, m - 1, 0, first, span, max, plotW, plotH);
                }
                point(path, m, point.getValue(), first, span, max, plotW, plotH);
                previous = m;
            }
            if (previous != null && previous < last) {
                point(path, previous + 1, 0, first, span, max, plotW, plotH);
            }
            html.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
                    .append(colour(protocols.indexOf(s.getKey()))).append("\" points=\"").append(path)
                    .append("\"><title>").append(escape(s.getKey())).append("</title></polyline>\n");
        }
        html.append("</svg>\n");
    }

    private static void point(StringBuilder path, long minute, long streams, long first, long span, long max,
                              int plotW, int plotH) {
        double x = LEFT + (double) (minute - first) / span * plotW;
        double y = 10 + plotH - (double) streams / max * plotH;
        path.append(path.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
    }

    private static void axes(long max, int plotH, StringBuilder html) {
        html.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888\"/>"
                        + "<text x=\"%d\" y=\"16\" text-anchor=\"end\">%d</text>"
                        + "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
                LEFT, LEFT, 10 + plotH, LEFT, 10 + plotH, WIDTH - 10, 10 + plotH, LEFT - 4, max, LEFT - 4, 10 + plotH));
    }

    private static String svgOpen(int width, int height, String label) {
        // No xmlns attribute: inline SVG in HTML needs none, and the page then holds no URL at all.
        return "<svg width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
                + "\" role=\"img\" aria-label=\"" + label + "\">\n";
    }

    private static String colour(int index) {
        return COLOURS[Math.max(0, index) % COLOURS.length];
    }

    private static String minute(long epochMinute) {
        return Instant.ofEpochSecond(epochMinute * 60).toString();
    }

    /** Text for HTML element content and quoted attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
