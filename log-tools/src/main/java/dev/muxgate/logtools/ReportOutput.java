package dev.muxgate.logtools;

import java.io.PrintWriter;
import java.util.List;

/**
 * Writes a report's rows as an aligned text table or as CSV (RFC 4180 quoting), and JSON values
 * (strings escaped, numbers as they are). The reports decide rows and JSON shape; this only spells.
 */
final class ReportOutput {

    /** The output formats of {@code --output}. */
    enum Format { table, csv, json }

    private ReportOutput() {
    }

    static void write(Format format, List<String> headers, List<List<String>> rows, PrintWriter out) {
        if (format == Format.csv) {
            csv(headers, rows, out);
        } else {
            table(headers, rows, out);
        }
    }

    static void table(List<String> headers, List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        tableRow(headers, widths, out);
        for (List<String> row : rows) {
            tableRow(row, widths, out);
        }
    }

    private static void tableRow(List<String> cells, int[] widths, PrintWriter out) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            boolean numeric = !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) && i > 0);
            if (i > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(widths[i] - cell.length());
            line.append(numeric ? pad + cell : cell + (i == cells.size() - 1 ? "" : pad));
        }
        out.println(line);
    }

    static void csv(List<String> headers, List<List<String>> rows, PrintWriter out) {
        csvRow(headers, out);
        for (List<String> row : rows) {
            csvRow(row, out);
        }
    }

    private static void csvRow(List<String> cells, PrintWriter out) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            String cell = cells.get(i);
            if (cell.indexOf(',') >= 0 || cell.indexOf('"') >= 0 || cell.indexOf('\n') >= 0) {
                line.append('"').append(cell.replace("\"", "\"\"")).append('"');
            } else {
                line.append(cell);
            }
        }
        out.print(line);
        out.print("\r\n");
    }

    /** A JSON string literal. */
    static String json(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** A number with at most three decimals, as JSON and the table print it. */
    static String decimal(double value) {
        String text = String.format(java.util.Locale.ROOT, "%.3f", value);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    /** Epoch milliseconds as UTC ISO-8601 to the millisecond; {@code -} for none. */
    static String time(long epochMillis, boolean known) {
        return known ? java.time.Instant.ofEpochMilli(epochMillis).toString() : "-";
    }
}
