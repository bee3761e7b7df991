package dev.muxgate.gateway.h2;

import dev.muxgate.gateway.Gateway;

/** Reads one series of the gateway's Prometheus scrape: tests assert on counter deltas. */
final class Scrape {

    private Scrape() {
    }

    /** The value of {@code series} (name and labels as scraped), 0 when it is not there yet. */
    static double value(Gateway gateway, String series) {
        for (String line : gateway.metrics().scrape().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return 0;
    }

    static double protocolErrors(Gateway gateway, String kind) {
        return value(gateway, "muxgate_protocol_errors_total{kind=\"" + kind + "\"}");
    }
}
